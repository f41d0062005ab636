package auth

import (
	"errors"
	"fmt"
	"os"
	"strings"
	"time"

	"github.com/goccy/go-yaml"
)

// Config is the authentication configuration file: users and
// client-certificate identities known without the database, and whether
// anonymous callers may read.
//
//	anonymous: read            # none (default) or read
//	cacheTTL: 10s              # how long a verified credential is trusted; 0: no cache
//	passwordCost: 12           # bcrypt cost of passwords set through the API
//	passwordWorkers: 1         # concurrent bcrypt checks (default: half the cores)
//	loginLimits:               # failed logins allowed per window
//	  window: 1m
//	  perAddressUser: 10
//	  perAddress: 30
//	  perUser: 100
//	users:
//	  - name: ci
//	    passwordHash: $2a$12$...   # bcrypt; see HashPassword
//	    grants: [admin:*]
//	clients:                   # mutual TLS: certificate common name
//	  - commonName: payments-ingest
//	    grants: [writer:payments.*, reader:*]
type Config struct {
	Anonymous string `yaml:"anonymous"`
	// CacheTTL is how long a verified credential is trusted, a Go
	// duration (default DefaultCacheTTL); 0 turns the cache off. A string,
	// so that an absent key and 0 differ.
	CacheTTL string `yaml:"cacheTTL"`
	// PasswordCost is the bcrypt cost of passwords set through the admin
	// API (default 12).
	PasswordCost int `yaml:"passwordCost"`
	// PasswordWorkers bounds concurrent password checks (default: half
	// the processors).
	PasswordWorkers int `yaml:"passwordWorkers"`
	// LoginLimits bound failed password logins (see LoginLimits).
	LoginLimits ConfigLoginLimits `yaml:"loginLimits"`
	Users       []ConfigUser      `yaml:"users"`
	Clients     []ConfigClient    `yaml:"clients"`
}

// ConfigLoginLimits are LoginLimits in the configuration file; zero or
// absent fields take DefaultLoginLimits.
type ConfigLoginLimits struct {
	Window         time.Duration `yaml:"window"`
	PerAddressUser int           `yaml:"perAddressUser"`
	PerAddress     int           `yaml:"perAddress"`
	PerUser        int           `yaml:"perUser"`
}

// ConfigUser is a user in the configuration file.
type ConfigUser struct {
	Name         string   `yaml:"name"`
	PasswordHash string   `yaml:"passwordHash"`
	Grants       []string `yaml:"grants"`
}

// ConfigClient maps a client certificate's common name to grants.
type ConfigClient struct {
	CommonName string   `yaml:"commonName"`
	Grants     []string `yaml:"grants"`
}

// Anonymous access settings.
const (
	AnonymousNone = "none"
	AnonymousRead = "read"
)

// LoadConfig reads and validates a configuration file. Unknown keys are
// errors, so a misspelt setting does not silently weaken security.
func LoadConfig(path string) (Config, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return Config{}, fmt.Errorf("auth: read config: %w", err)
	}
	var c Config
	if err := yaml.UnmarshalWithOptions(b, &c, yaml.DisallowUnknownField()); err != nil {
		return Config{}, fmt.Errorf("auth: config %s: %s", path, yaml.FormatError(err, false, false))
	}
	if _, err := c.Options(); err != nil {
		return Config{}, fmt.Errorf("auth: config %s: %w", path, err)
	}
	return c, nil
}

// Options turns the file's settings into Authenticator options (without a
// Store), validating every hash and grant.
func (c Config) Options() (Options, error) {
	var o Options
	switch strings.ToLower(c.Anonymous) {
	case "", AnonymousNone:
	case AnonymousRead:
		o.Anonymous = []Grant{{Role: Reader, Pattern: AllSubjects}}
	default:
		return Options{}, fmt.Errorf("anonymous: %q: use none or read", c.Anonymous)
	}
	if c.CacheTTL != "" {
		ttl, err := time.ParseDuration(c.CacheTTL)
		switch {
		case err != nil:
			return Options{}, fmt.Errorf("cacheTTL: %w", err)
		case ttl < 0:
			return Options{}, fmt.Errorf("cacheTTL: %s must not be negative", ttl)
		case ttl == 0:
			o.CacheTTL = NoCache
		default:
			o.CacheTTL = ttl
		}
	}
	o.PasswordCost = c.PasswordCost
	l := c.LoginLimits
	if c.PasswordWorkers < 0 || l.Window < 0 || l.PerAddressUser < 0 || l.PerAddress < 0 || l.PerUser < 0 {
		return Options{}, errors.New("passwordWorkers and loginLimits must not be negative")
	}
	o.PasswordWorkers = c.PasswordWorkers
	o.LoginLimits = LoginLimits{Window: l.Window, PerAddressUser: l.PerAddressUser, PerAddress: l.PerAddress, PerUser: l.PerUser}
	seen := map[string]bool{}
	for i, u := range c.Users {
		if u.Name == "" {
			return Options{}, fmt.Errorf("users[%d]: missing name", i)
		}
		if seen[u.Name] {
			return Options{}, fmt.Errorf("users[%d]: duplicate user %q", i, u.Name)
		}
		seen[u.Name] = true
		if err := validHash(u.PasswordHash); err != nil {
			return Options{}, fmt.Errorf("users[%d] (%s): passwordHash: %w", i, u.Name, err)
		}
		grants, err := ParseGrants(u.Grants)
		if err != nil {
			return Options{}, fmt.Errorf("users[%d] (%s): %w", i, u.Name, err)
		}
		o.Users = append(o.Users, User{Name: u.Name, PasswordHash: u.PasswordHash, Grants: grants})
	}
	for i, cl := range c.Clients {
		if cl.CommonName == "" {
			return Options{}, fmt.Errorf("clients[%d]: missing commonName", i)
		}
		grants, err := ParseGrants(cl.Grants)
		if err != nil {
			return Options{}, fmt.Errorf("clients[%d] (%s): %w", i, cl.CommonName, err)
		}
		o.Clients = append(o.Clients, Client{CommonName: cl.CommonName, Grants: grants})
	}
	return o, nil
}

// errNoCredentials is returned by Options users of an empty config.
var errNoCredentials = errors.New("auth: no way to authenticate: configure users, clients, anonymous access or a token store")
