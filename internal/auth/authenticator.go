package auth

import (
	"context"
	"crypto/sha256"
	"crypto/x509"
	"errors"
	"fmt"
	"hash"
	"sort"
	"sync"
	"time"

	"golang.org/x/crypto/bcrypt"
)

// ErrUnauthenticated reports credentials that prove nothing: an unknown
// user, a wrong password, an unknown, revoked or expired token, or an
// unmapped certificate. Its message never includes the credentials.
var ErrUnauthenticated = errors.New("auth: invalid credentials")

// DefaultCacheTTL is how long a verified credential is trusted without
// checking it again. Revocations reach other registry instances through
// the store's change notifications (ForgetAll); the TTL bounds how long a
// revocation whose notification was lost keeps working there.
const DefaultCacheTTL = 10 * time.Second

// NoCache as Options.CacheTTL verifies every credential on every request.
const NoCache time.Duration = -1

// maxCacheEntries bounds the credential cache.
const maxCacheEntries = 10_000

// Client maps a client certificate's subject common name to grants.
type Client struct {
	CommonName string
	Grants     []Grant
}

// Options configure an Authenticator.
type Options struct {
	// Users are known without the database (the configuration file); they
	// take precedence over database users of the same name.
	Users []User
	// Clients are the identities of verified client certificates.
	Clients []Client
	// Anonymous are the grants of callers that present no credentials;
	// nil refuses them.
	Anonymous []Grant
	// Store keeps API tokens and database users; nil disables both.
	Store Store
	// CacheTTL is how long a verified credential is trusted; zero means
	// DefaultCacheTTL, NoCache (or any negative value) no cache. A token
	// is never trusted past its expiry.
	CacheTTL time.Duration
	// PasswordCost is the bcrypt cost of passwords set with SetUser; zero
	// means PasswordCost.
	PasswordCost int
	// PasswordWorkers bounds concurrent password (bcrypt) checks; zero
	// means DefaultPasswordWorkers.
	PasswordWorkers int
	// LoginLimits bound failed password logins; zero fields take
	// DefaultLoginLimits.
	LoginLimits LoginLimits
	// Now returns the current time; tests inject a clock.
	Now func() time.Time
}

// Authenticator turns credentials into principals. It is safe for
// concurrent use.
type Authenticator struct {
	users   map[string]User
	clients map[string][]Grant
	anon    *Principal
	store   Store
	ttl     time.Duration
	now     func() time.Time
	cost    int
	// dummy is compared against for unknown users.
	dummy func() []byte
	// pw runs password checks on a bounded pool; throttle refuses them
	// after too many failures.
	pw       *passwords
	throttle *throttle

	mu    sync.Mutex
	cache map[[sha256.Size]byte]cached
}

type cached struct {
	p       *Principal
	expires time.Time
	// key names what to drop when the credential changes: a token hash
	// or a user name.
	key string
}

// NewAuthenticator returns an Authenticator over opts.
func NewAuthenticator(opts Options) (*Authenticator, error) {
	if opts.CacheTTL == 0 {
		opts.CacheTTL = DefaultCacheTTL
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	if opts.PasswordCost == 0 {
		opts.PasswordCost = PasswordCost
	}
	if opts.PasswordCost < bcrypt.MinCost || opts.PasswordCost > bcrypt.MaxCost {
		return nil, fmt.Errorf("auth: password cost %d out of bcrypt's range [%d, %d]", opts.PasswordCost, bcrypt.MinCost, bcrypt.MaxCost)
	}
	a := &Authenticator{
		users:    make(map[string]User, len(opts.Users)),
		clients:  make(map[string][]Grant, len(opts.Clients)),
		store:    opts.Store,
		ttl:      opts.CacheTTL,
		now:      opts.Now,
		cost:     opts.PasswordCost,
		cache:    make(map[[sha256.Size]byte]cached),
		pw:       newPasswords(opts.PasswordWorkers),
		throttle: newThrottle(opts.LoginLimits),
	}
	// Unknown users cost as much as the dearest configured hash, or as a
	// hash made by HashPassword when database users are possible.
	cost := 0
	if opts.Store != nil {
		cost = opts.PasswordCost
	}
	for _, u := range opts.Users {
		if err := validHash(u.PasswordHash); err != nil {
			return nil, fmt.Errorf("auth: user %s: %w", u.Name, err)
		}
		a.users[u.Name] = u
		cost = max(cost, hashCost(u.PasswordHash))
	}
	if cost == 0 {
		cost = opts.PasswordCost
	}
	a.dummy = dummyHasher(cost)
	for _, c := range opts.Clients {
		a.clients[c.CommonName] = c.Grants
	}
	if opts.Anonymous != nil {
		a.anon = &Principal{Name: "anonymous", Method: MethodAnonymous, Grants: opts.Anonymous}
	}
	if len(a.users) == 0 && len(a.clients) == 0 && a.anon == nil && a.store == nil {
		return nil, errNoCredentials
	}
	return a, nil
}

// Anonymous returns the principal of callers without credentials, and
// false when anonymous access is off.
func (a *Authenticator) Anonymous() (*Principal, bool) {
	return a.anon, a.anon != nil
}

// Basic verifies a user name and password, against the configured users
// first and then the database.
//
// Password checks are bounded: a password verified in the last few
// minutes against the user's current hash is accepted without bcrypt;
// other checks run on a small worker pool (ErrBusy when it and its queue
// are full), and are refused with a ThrottledError once the client's
// address (WithClientAddress) or the user name has failed too often (see
// LoginLimits).
func (a *Authenticator) Basic(ctx context.Context, name, password string) (*Principal, error) {
	key := cacheKey("basic", name, password)
	if p, ok := a.cached(key); ok {
		return p, nil
	}
	u, ok := a.users[name]
	// A name no store can hold (a NUL byte, invalid UTF-8) names no user;
	// it fails like any unknown name rather than as a store error.
	if !ok && a.store != nil && encodable(name) {
		du, err := a.store.UserGet(ctx, name)
		switch {
		case err == nil:
			u, ok = *du, true
		case !errors.Is(err, ErrNotFound):
			return nil, fmt.Errorf("auth: look up user: %w", err)
		}
	}
	if ok && a.pw.verified(a.now(), name, password, u.PasswordHash) {
		return a.basicPrincipal(key, u), nil
	}
	addr := clientAddress(ctx)
	if err := a.throttle.allow(a.now(), addr, name); err != nil {
		return nil, err
	}
	// Compare even for an unknown user, so timing does not reveal names.
	match, err := a.pw.check(ctx, u.PasswordHash, password, a.dummy)
	if err != nil {
		return nil, err
	}
	if !match || !ok {
		a.throttle.failed(a.now(), addr, name)
		return nil, ErrUnauthenticated
	}
	a.throttle.succeeded(a.now(), addr, name)
	a.pw.remember(a.now(), name, password, u.PasswordHash)
	return a.basicPrincipal(key, u), nil
}

// basicPrincipal returns the principal of a verified user, cached under
// key.
func (a *Authenticator) basicPrincipal(key [sha256.Size]byte, u User) *Principal {
	p := &Principal{Name: u.Name, Method: MethodBasic, Grants: u.Grants}
	a.remember(key, "user:"+u.Name, p)
	return p
}

// Bearer verifies an API token secret.
func (a *Authenticator) Bearer(ctx context.Context, secret string) (*Principal, error) {
	if a.store == nil || !looksLikeToken(secret) {
		return nil, ErrUnauthenticated
	}
	hash := HashToken(secret)
	key := cacheKey("token", hash)
	if p, ok := a.cached(key); ok {
		return p, nil
	}
	t, err := a.store.TokenGetByHash(ctx, hash)
	if errors.Is(err, ErrNotFound) {
		return nil, ErrUnauthenticated
	}
	if err != nil {
		return nil, fmt.Errorf("auth: look up token: %w", err)
	}
	if !t.Active(a.now()) {
		return nil, ErrUnauthenticated
	}
	p := &Principal{Name: "token:" + t.Name, Method: MethodToken, TokenID: t.ID, Grants: t.Grants}
	a.rememberUntil(key, "token:"+t.ID, p, t.ExpiresAt)
	return p, nil
}

// Certificate maps a verified client certificate to its configured
// identity by the subject's common name.
func (a *Authenticator) Certificate(cert *x509.Certificate) (*Principal, error) {
	if cert == nil {
		return nil, ErrUnauthenticated
	}
	grants, ok := a.clients[cert.Subject.CommonName]
	if !ok {
		return nil, ErrUnauthenticated
	}
	return &Principal{Name: cert.Subject.CommonName, Method: MethodCertificate, Grants: grants}, nil
}

// TokenParams describe a token to create.
type TokenParams struct {
	Name   string
	Grants []Grant
	// TTL is how long the token lives; zero for no expiry.
	TTL time.Duration
	// CreatedBy names the creating principal (audit).
	CreatedBy string
}

// CreateToken creates a token and returns its secret, which is shown this
// once and never stored, with the stored record.
func (a *Authenticator) CreateToken(ctx context.Context, p TokenParams) (string, *Token, error) {
	if a.store == nil {
		return "", nil, errors.New("auth: tokens need a store")
	}
	if p.Name == "" {
		return "", nil, errors.New("auth: a token needs a name")
	}
	if !encodable(p.Name) {
		return "", nil, fmt.Errorf("auth: token name %q holds a NUL byte or invalid UTF-8", p.Name)
	}
	if len(p.Grants) == 0 {
		return "", nil, errors.New("auth: a token needs at least one grant")
	}
	if p.TTL < 0 {
		return "", nil, errors.New("auth: token TTL must not be negative")
	}
	secret, id, err := newSecret()
	if err != nil {
		return "", nil, err
	}
	now := a.now().UTC().Truncate(time.Microsecond)
	t := Token{ID: id, Name: p.Name, Hash: HashToken(secret), Grants: p.Grants, CreatedBy: p.CreatedBy, CreatedAt: now}
	if p.TTL > 0 {
		t.ExpiresAt = now.Add(p.TTL)
	}
	if err := a.store.TokenInsert(ctx, t); err != nil {
		return "", nil, fmt.Errorf("auth: store token: %w", err)
	}
	return secret, &t, nil
}

// RevokeToken revokes a token by id. It stops working here at once, and on
// other instances sharing the store as soon as they hear of it (ForgetAll).
func (a *Authenticator) RevokeToken(ctx context.Context, id string) error {
	if a.store == nil {
		return ErrNotFound
	}
	if err := a.store.TokenRevoke(ctx, id, a.now().UTC().Truncate(time.Microsecond)); err != nil {
		return fmt.Errorf("auth: revoke token %s: %w", id, err)
	}
	a.forget("token:" + id)
	return nil
}

// Tokens lists the tokens, revoked ones included, oldest first: limit of
// them from offset on (limit <= 0: every one from offset).
func (a *Authenticator) Tokens(ctx context.Context, offset, limit int) ([]Token, error) {
	if a.store == nil {
		return nil, nil
	}
	ts, err := a.store.TokenList(ctx, offset, limit)
	if err != nil {
		return nil, fmt.Errorf("auth: list tokens: %w", err)
	}
	return ts, nil
}

// ErrConfiguredUser reports an attempt to change, through the database, a
// user defined in the configuration file.
var ErrConfiguredUser = errors.New("auth: user is defined in the configuration file")

// SetUser creates or replaces a database user with a new password.
func (a *Authenticator) SetUser(ctx context.Context, name, password string, grants []Grant) (*User, error) {
	if a.store == nil {
		return nil, errors.New("auth: database users need a store")
	}
	if name == "" {
		return nil, errors.New("auth: a user needs a name")
	}
	if _, ok := a.users[name]; ok {
		return nil, ErrConfiguredUser
	}
	hash, err := hashPassword(password, a.cost)
	if err != nil {
		return nil, err
	}
	now := a.now().UTC().Truncate(time.Microsecond)
	u := User{Name: name, PasswordHash: hash, Grants: grants, CreatedAt: now, UpdatedAt: now}
	if old, err := a.store.UserGet(ctx, name); err == nil {
		u.CreatedAt = old.CreatedAt
	}
	if err := a.store.UserUpsert(ctx, u); err != nil {
		return nil, fmt.Errorf("auth: store user %s: %w", name, err)
	}
	a.forget("user:" + name)
	return &u, nil
}

// DeleteUser removes a database user.
func (a *Authenticator) DeleteUser(ctx context.Context, name string) error {
	if _, ok := a.users[name]; ok {
		return ErrConfiguredUser
	}
	if a.store == nil {
		return ErrNotFound
	}
	if err := a.store.UserDelete(ctx, name); err != nil {
		return fmt.Errorf("auth: delete user %s: %w", name, err)
	}
	a.forget("user:" + name)
	return nil
}

// Users lists the configured and database users by name (without their
// hashes' secrets being any use to a reader: they are bcrypt hashes).
func (a *Authenticator) Users(ctx context.Context) ([]User, error) {
	out := make([]User, 0, len(a.users))
	for _, u := range a.users {
		out = append(out, u)
	}
	if a.store != nil {
		db, err := a.store.UserList(ctx)
		if err != nil {
			return nil, fmt.Errorf("auth: list users: %w", err)
		}
		for _, u := range db {
			if _, ok := a.users[u.Name]; !ok {
				out = append(out, u)
			}
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out, nil
}

// cacheKey hashes the parts of a credential, so the cache never holds a
// password or token secret in the clear.
func cacheKey(parts ...string) [sha256.Size]byte {
	return sumParts(sha256.New(), parts...)
}

// sumParts returns the sum with h, a SHA-256 or an HMAC-SHA-256, of parts,
// each followed by a NUL byte as a separator.
func sumParts(h hash.Hash, parts ...string) [sha256.Size]byte {
	for _, p := range parts {
		h.Write([]byte(p))
		h.Write([]byte{0})
	}
	var k [sha256.Size]byte
	h.Sum(k[:0])
	return k
}

func (a *Authenticator) cached(k [sha256.Size]byte) (*Principal, bool) {
	a.mu.Lock()
	defer a.mu.Unlock()
	e, ok := a.cache[k]
	if !ok || !a.now().Before(e.expires) {
		return nil, false
	}
	return e.p, true
}

func (a *Authenticator) remember(k [sha256.Size]byte, key string, p *Principal) {
	a.rememberUntil(k, key, p, time.Time{})
}

// rememberUntil caches p for the cache TTL, but never past until (when
// set): a cached token must not outlive its expiry.
func (a *Authenticator) rememberUntil(k [sha256.Size]byte, key string, p *Principal, until time.Time) {
	if a.ttl < 0 {
		return
	}
	now := a.now()
	expires := now.Add(a.ttl)
	if !until.IsZero() && until.Before(expires) {
		expires = until
	}
	a.mu.Lock()
	defer a.mu.Unlock()
	if len(a.cache) >= maxCacheEntries {
		for ck, e := range a.cache {
			if !now.Before(e.expires) {
				delete(a.cache, ck)
			}
		}
		if len(a.cache) >= maxCacheEntries {
			clear(a.cache)
		}
	}
	a.cache[k] = cached{p: p, expires: expires, key: key}
}

// ForgetAll drops every cached credential, so that the next request of
// each is verified against the store. The registry calls it when the
// store reports that a credential changed anywhere (a token revoked, a
// user replaced or deleted), and when it may have missed such a report.
func (a *Authenticator) ForgetAll() {
	a.mu.Lock()
	defer a.mu.Unlock()
	clear(a.cache)
}

// forget drops every cached credential of a token or user.
func (a *Authenticator) forget(key string) {
	a.mu.Lock()
	defer a.mu.Unlock()
	for ck, e := range a.cache {
		if e.key == key {
			delete(a.cache, ck)
		}
	}
}
