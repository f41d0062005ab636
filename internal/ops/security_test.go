package ops_test

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"math/big"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/schemata-dev/schemata/internal/ops"
	"github.com/schemata-dev/schemata/internal/server"
	"github.com/schemata-dev/schemata/internal/server/servertest"
)

// pki is a throwaway CA with a server certificate for 127.0.0.1 and a
// client certificate, written as PEM files.
type pki struct {
	caFile, certFile, keyFile string
	pool                      *x509.CertPool
	client                    tls.Certificate
}

func newPKI(t *testing.T, clientCN string) pki {
	t.Helper()
	dir := t.TempDir()
	newKey := func() *ecdsa.PrivateKey {
		k, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
		if err != nil {
			t.Fatal(err)
		}
		return k
	}
	caKey := newKey()
	caTmpl := &x509.Certificate{
		SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "test CA"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour),
		IsCA: true, BasicConstraintsValid: true, KeyUsage: x509.KeyUsageCertSign,
	}
	caDER, err := x509.CreateCertificate(rand.Reader, caTmpl, caTmpl, &caKey.PublicKey, caKey)
	if err != nil {
		t.Fatal(err)
	}
	ca, _ := x509.ParseCertificate(caDER)
	issue := func(serial int64, cn string, usage x509.ExtKeyUsage, ips []net.IP) ([]byte, *ecdsa.PrivateKey) {
		k := newKey()
		tmpl := &x509.Certificate{
			SerialNumber: big.NewInt(serial), Subject: pkix.Name{CommonName: cn},
			NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour),
			ExtKeyUsage: []x509.ExtKeyUsage{usage}, IPAddresses: ips, KeyUsage: x509.KeyUsageDigitalSignature,
		}
		der, err := x509.CreateCertificate(rand.Reader, tmpl, ca, &k.PublicKey, caKey)
		if err != nil {
			t.Fatal(err)
		}
		return der, k
	}
	write := func(name, typ string, der []byte) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, pem.EncodeToMemory(&pem.Block{Type: typ, Bytes: der}), 0o600); err != nil {
			t.Fatal(err)
		}
		return p
	}
	keyDER := func(k *ecdsa.PrivateKey) []byte {
		b, err := x509.MarshalECPrivateKey(k)
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	srvDER, srvKey := issue(2, "registry", x509.ExtKeyUsageServerAuth, []net.IP{net.ParseIP("127.0.0.1")})
	cliDER, cliKey := issue(3, clientCN, x509.ExtKeyUsageClientAuth, nil)
	p := pki{
		caFile:   write("ca.pem", "CERTIFICATE", caDER),
		certFile: write("server.pem", "CERTIFICATE", srvDER),
		keyFile:  write("server-key.pem", "EC PRIVATE KEY", keyDER(srvKey)),
		pool:     x509.NewCertPool(),
	}
	p.pool.AddCert(ca)
	p.client = tls.Certificate{Certificate: [][]byte{cliDER}, PrivateKey: cliKey}
	return p
}

func TestTLS(t *testing.T) {
	t.Parallel()
	p := newPKI(t, "payments-ingest")
	authFile := adminAuthFile(t, "clients:\n  - commonName: payments-ingest\n    grants: [writer:payments.*]\n")
	s := servertest.Start(t, servertest.WithConfig(server.Config{Ops: ops.Config{
		AuthConfigFile: authFile, AuditLog: ops.AuditOff,
		TLSCertFile: p.certFile, TLSKeyFile: p.keyFile, TLSClientCAFile: p.caFile,
	}}))
	if !strings.HasPrefix(s.URL(), "https://") {
		t.Fatalf("URL = %s, want https", s.URL())
	}
	client := func(minV, maxV uint16, certs ...tls.Certificate) *http.Client {
		return &http.Client{Transport: &http.Transport{TLSClientConfig: &tls.Config{
			RootCAs: p.pool, MinVersion: minV, MaxVersion: maxV, Certificates: certs,
		}}}
	}

	versions := []struct {
		name    string
		version uint16
		ok      bool
	}{
		{"TLS10Refused", tls.VersionTLS10, false},
		{"TLS11Refused", tls.VersionTLS11, false},
		{"TLS12Accepted", tls.VersionTLS12, true},
		{"TLS13Accepted", tls.VersionTLS13, true},
	}
	for _, v := range versions {
		t.Run(v.name, func(t *testing.T) {
			t.Parallel()
			res, err := client(v.version, v.version).Get(s.URL() + "/livez")
			if err == nil {
				res.Body.Close()
			}
			if (err == nil) != v.ok {
				t.Errorf("TLS version %x: err = %v, want ok = %v", v.version, err, v.ok)
			}
		})
	}

	access := []struct {
		name    string
		hc      *http.Client
		subject string
		cred    credential
		want    int
	}{
		{"ClientCertificateWritesItsPrefix", client(tls.VersionTLS12, 0, p.client), "payments.orders", anonymous, http.StatusOK},
		{"ClientCertificateCannotWriteElsewhere", client(tls.VersionTLS12, 0, p.client), "inventory", anonymous, http.StatusForbidden},
		{"NoCertificateNoCredentials", client(tls.VersionTLS12, 0), "payments.orders", anonymous, http.StatusUnauthorized},
		{"PasswordOverTLS", client(tls.VersionTLS12, 0), "inventory", basic("alice", "pw-alice"), http.StatusOK},
	}
	for _, a := range access {
		t.Run(a.name, func(t *testing.T) {
			t.Parallel()
			res := do(t, a.hc, http.MethodPost, s.URL()+"/subjects/"+a.subject+"/versions", a.cred, map[string]any{"schema": avroV1})
			if res.status != a.want {
				t.Errorf("register: %d %s, want %d", res.status, res.body, a.want)
			}
		})
	}
}

func TestTokenAdminAPI(t *testing.T) {
	t.Parallel()
	s := startWithAdmin(t)
	hc := &http.Client{}
	base, alice := s.URL(), basic("alice", "pw-alice")

	res := do(t, hc, http.MethodPost, base+"/v1/auth/tokens", alice,
		map[string]any{"name": "payments-ci", "grants": []string{"writer:payments.*"}, "ttl": "720h"})
	token := createdToken(t, res).Token
	if res.header.Get("Cache-Control") != "no-store" {
		t.Errorf("token answer Cache-Control = %q, want no-store", res.header.Get("Cache-Control"))
	}

	if r := do(t, hc, http.MethodPost, base+"/subjects/payments.orders/versions", bearer(token), map[string]any{"schema": avroV1}); r.status != http.StatusOK {
		t.Errorf("token registers in its prefix: %d %s", r.status, r.body)
	}
	if r := do(t, hc, http.MethodPost, base+"/subjects/inventory/versions", bearer(token), map[string]any{"schema": avroV1}); r.status != http.StatusForbidden {
		t.Errorf("token registers outside its prefix: %d, want 403", r.status)
	}
	if r := do(t, hc, http.MethodGet, base+"/v1/auth/whoami", bearer(token), nil); !strings.Contains(string(r.body), `"token:payments-ci"`) {
		t.Errorf("whoami = %s", r.body)
	}

	list := do(t, hc, http.MethodGet, base+"/v1/auth/tokens", alice, nil)
	if list.status != http.StatusOK || strings.Contains(string(list.body), token) || strings.Contains(string(list.body), `"token"`) {
		t.Fatalf("token list %d %s must not hold secrets", list.status, list.body)
	}
	var id string
	if i := strings.Index(string(list.body), `"id":"`); i >= 0 {
		id = strings.SplitN(string(list.body)[i+6:], `"`, 2)[0]
	}
	if r := do(t, hc, http.MethodDelete, base+"/v1/auth/tokens/"+id, alice, nil); r.status != http.StatusNoContent {
		t.Fatalf("revoke: %d %s", r.status, r.body)
	}
	if r := do(t, hc, http.MethodGet, base+"/subjects", bearer(token), nil); r.status != http.StatusUnauthorized {
		t.Errorf("revoked token: %d, want 401", r.status)
	}
	if r := do(t, hc, http.MethodDelete, base+"/v1/auth/tokens/"+id+"x", alice, nil); r.status != http.StatusNotFound {
		t.Errorf("revoke unknown: %d, want 404", r.status)
	}

	// Database users: created through the API, then able to log in.
	if r := do(t, hc, http.MethodPut, base+"/v1/auth/users/bob", alice, map[string]any{"password": "pw-bob-long", "grants": []string{"reader:*"}}); r.status != http.StatusOK {
		t.Fatalf("put user: %d %s", r.status, r.body)
	}
	if r := do(t, hc, http.MethodGet, base+"/subjects", basic("bob", "pw-bob-long"), nil); r.status != http.StatusOK {
		t.Errorf("database user reads: %d %s", r.status, r.body)
	}
	if r := do(t, hc, http.MethodPut, base+"/v1/auth/users/alice", alice, map[string]any{"password": "x", "grants": []string{"reader:*"}}); r.status != http.StatusConflict {
		t.Errorf("replacing a configured user: %d, want 409", r.status)
	}
	if r := do(t, hc, http.MethodDelete, base+"/v1/auth/users/bob", alice, nil); r.status != http.StatusNoContent {
		t.Errorf("delete user: %d", r.status)
	}
	if r := do(t, hc, http.MethodGet, base+"/subjects", basic("bob", "pw-bob-long"), nil); r.status != http.StatusUnauthorized {
		t.Errorf("deleted user: %d, want 401", r.status)
	}
}

func TestSecretsNeverLogged(t *testing.T) {
	t.Parallel()
	const (
		password    = "Pw-7f3a9c-correct"
		badPassword = "Pw-0b1e2d-wrong"
		dbPassword  = "DbPw-91c4e7"
	)
	var logs servertest.LogBuffer
	auditFile := filepath.Join(t.TempDir(), "audit.log")

	// A database URL with a password, for a database that is not there.
	cfg := server.Config{Listen: "127.0.0.1:0", LogLevel: "debug",
		DatabaseURL: "postgres://registry:" + dbPassword + "@127.0.0.1:1/registry?connect_timeout=2"}
	log, err := server.NewLogger(cfg, &logs)
	if err != nil {
		t.Fatal(err)
	}
	_, err = server.New(t.Context(), cfg, server.WithLogger(log))
	if err == nil {
		t.Fatal("server.New with an unreachable database succeeded")
	}
	if strings.Contains(err.Error(), dbPassword) {
		t.Errorf("the start-up error reveals the database password: %v", err)
	}

	authFile := servertest.AuthConfigFile(t, []servertest.User{{Name: "alice", Password: password, Grants: []string{"admin:*"}}}, "")
	s := servertest.Start(t, servertest.WithConfig(server.Config{Ops: ops.Config{AuthConfigFile: authFile, AuditLog: auditFile}}))
	hc := &http.Client{}
	base := s.URL()
	do(t, hc, http.MethodGet, base+"/subjects", basic("alice", password), nil)
	do(t, hc, http.MethodGet, base+"/subjects", basic("alice", badPassword), nil)
	do(t, hc, http.MethodPost, base+"/subjects/x/versions", basic("mallory", badPassword), map[string]any{"schema": avroV1})
	token := createdToken(t, do(t, hc, http.MethodPost, base+"/v1/auth/tokens", basic("alice", password),
		map[string]any{"name": "ci", "grants": []string{"reader:*"}})).Token
	do(t, hc, http.MethodGet, base+"/subjects", bearer(token), nil)
	do(t, hc, http.MethodGet, base+"/subjects", bearer(token+"tampered"), nil)
	do(t, hc, http.MethodPut, base+"/v1/auth/users/bob", basic("alice", password), map[string]any{"password": badPassword, "grants": []string{"reader:*"}})
	do(t, hc, http.MethodGet, base+"/v1/auth/users", basic("alice", password), nil)

	audit, err := os.ReadFile(auditFile)
	if err != nil {
		t.Fatal(err)
	}
	captured := logs.String() + s.Logs.String() + string(audit)
	if !strings.Contains(captured, "request not authenticated") {
		t.Fatalf("the refusals were not logged, so this test proves nothing:\n%s", captured)
	}
	for name, secret := range map[string]string{
		"password": password, "wrong password": badPassword, "token": token,
		"token body": strings.TrimPrefix(token, "sch_"), "database password": dbPassword,
	} {
		if strings.Contains(captured, secret) {
			t.Errorf("the logs hold the %s", name)
		}
	}
}
