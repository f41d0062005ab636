package authhttp

import (
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"os"
	"strings"
	"sync"
	"time"
)

// Client certificate modes.
const (
	// ClientCertNone ignores client certificates.
	ClientCertNone = "none"
	// ClientCertOptional verifies a certificate when the client sends one;
	// clients without one authenticate otherwise.
	ClientCertOptional = "optional"
	// ClientCertRequire refuses connections without a verified
	// certificate.
	ClientCertRequire = "require"
)

// TLSOptions configure the server's TLS.
type TLSOptions struct {
	// CertFile and KeyFile are PEM files of the server certificate (with
	// its chain) and key. They are read again when they change on disk, so
	// a rotated certificate is picked up without a restart.
	CertFile string
	KeyFile  string
	// ClientCAFile is a PEM bundle of the CAs that sign client
	// certificates; set it to enable mutual TLS.
	ClientCAFile string
	// ClientAuth is ClientCertNone, ClientCertOptional (the default with a
	// ClientCAFile) or ClientCertRequire.
	ClientAuth string
}

// ServerTLSConfig builds the server's TLS configuration: TLS 1.2 at least,
// the certificate reloaded when its files change, and client certificates
// verified against ClientCAFile when one is given.
func ServerTLSConfig(o TLSOptions) (*tls.Config, error) {
	if o.CertFile == "" || o.KeyFile == "" {
		return nil, errors.New("authhttp: TLS needs both a certificate file and a key file")
	}
	kr := &keyReloader{certFile: o.CertFile, keyFile: o.KeyFile}
	if _, err := kr.load(); err != nil {
		return nil, err
	}
	cfg := &tls.Config{
		MinVersion:     tls.VersionTLS12,
		GetCertificate: kr.get,
	}
	mode := strings.ToLower(o.ClientAuth)
	if mode == "" {
		mode = ClientCertNone
		if o.ClientCAFile != "" {
			mode = ClientCertOptional
		}
	}
	switch mode {
	case ClientCertNone:
		return cfg, nil
	case ClientCertOptional:
		cfg.ClientAuth = tls.VerifyClientCertIfGiven
	case ClientCertRequire:
		cfg.ClientAuth = tls.RequireAndVerifyClientCert
	default:
		return nil, fmt.Errorf("authhttp: client auth %q: use none, optional or require", o.ClientAuth)
	}
	if o.ClientCAFile == "" {
		return nil, fmt.Errorf("authhttp: client auth %q needs a client CA file", mode)
	}
	pem, err := os.ReadFile(o.ClientCAFile)
	if err != nil {
		return nil, fmt.Errorf("authhttp: read client CA file: %w", err)
	}
	pool := x509.NewCertPool()
	if !pool.AppendCertsFromPEM(pem) {
		return nil, fmt.Errorf("authhttp: client CA file %s holds no PEM certificate", o.ClientCAFile)
	}
	cfg.ClientCAs = pool
	return cfg, nil
}

// keyReloader serves a certificate, reloading it when its files' mtimes
// change (checked at most once per reloadCheck).
type keyReloader struct {
	certFile, keyFile string

	mu      sync.Mutex
	cert    *tls.Certificate
	stamp   [2]time.Time
	checked time.Time
}

const reloadCheck = 10 * time.Second

func (k *keyReloader) get(*tls.ClientHelloInfo) (*tls.Certificate, error) {
	k.mu.Lock()
	defer k.mu.Unlock()
	if time.Since(k.checked) < reloadCheck && k.cert != nil {
		return k.cert, nil
	}
	k.checked = time.Now()
	stamp, err := k.mtimes()
	if err == nil && stamp == k.stamp {
		return k.cert, nil
	}
	cert, err := k.loadLocked()
	if err != nil {
		// Keep serving the certificate we have rather than failing
		// handshakes while a rotation is half written.
		if k.cert != nil {
			return k.cert, nil
		}
		return nil, err
	}
	return cert, nil
}

func (k *keyReloader) load() (*tls.Certificate, error) {
	k.mu.Lock()
	defer k.mu.Unlock()
	return k.loadLocked()
}

func (k *keyReloader) loadLocked() (*tls.Certificate, error) {
	stamp, err := k.mtimes()
	if err != nil {
		return nil, err
	}
	cert, err := tls.LoadX509KeyPair(k.certFile, k.keyFile)
	if err != nil {
		return nil, fmt.Errorf("authhttp: load TLS certificate: %w", err)
	}
	k.cert, k.stamp, k.checked = &cert, stamp, time.Now()
	return k.cert, nil
}

func (k *keyReloader) mtimes() ([2]time.Time, error) {
	var out [2]time.Time
	for i, f := range []string{k.certFile, k.keyFile} {
		st, err := os.Stat(f)
		if err != nil {
			return out, fmt.Errorf("authhttp: TLS file: %w", err)
		}
		out[i] = st.ModTime()
	}
	return out, nil
}
