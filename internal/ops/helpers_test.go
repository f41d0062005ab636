package ops_test

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"testing"

	"github.com/schemata-dev/schemata/internal/ops"
	"github.com/schemata-dev/schemata/internal/server"
	"github.com/schemata-dev/schemata/internal/server/servertest"
	"github.com/schemata-dev/schemata/srapi"
)

// credential authenticates a request.
type credential func(*http.Request)

func basic(user, password string) credential {
	return func(r *http.Request) { r.SetBasicAuth(user, password) }
}

func bearer(token string) credential {
	return func(r *http.Request) { r.Header.Set("Authorization", "Bearer "+token) }
}

func anonymous(*http.Request) {}

// response is an answered request.
type response struct {
	status int
	body   []byte
	header http.Header
}

// errorCode returns the error_code of a Confluent-style error body.
func (r response) errorCode() int {
	var e srapi.ErrorBody
	_ = json.Unmarshal(r.body, &e)
	return int(e.ErrorCode)
}

// do sends a request with a JSON body (nil for none).
func do(t *testing.T, hc *http.Client, method, url string, cred credential, body any) response {
	t.Helper()
	var rd io.Reader
	if body != nil {
		b, err := json.Marshal(body)
		if err != nil {
			t.Fatal(err)
		}
		rd = bytes.NewReader(b)
	}
	req, err := http.NewRequest(method, url, rd)
	if err != nil {
		t.Fatal(err)
	}
	if body != nil {
		req.Header.Set("Content-Type", srapi.ContentType)
	}
	cred(req)
	res, b := servertest.Do(t, hc, req)
	return response{status: res.StatusCode, body: b, header: res.Header}
}

const avroV1 = `{"type":"record","name":"Order","fields":[{"name":"id","type":"string"}]}`

// avroV2Incompatible adds a field without a default: BACKWARD-incompatible.
const avroV2Incompatible = `{"type":"record","name":"Order","fields":[{"name":"id","type":"string"},{"name":"total","type":"long"}]}`

// opsConfig is the ops layer with the auth configuration authFile and
// no audit log.
func opsConfig(authFile string) ops.Config {
	return ops.Config{AuthConfigFile: authFile, AuditLog: ops.AuditOff}
}

// createdToken decodes a token-creation answer, which must carry the
// token's id and secret.
func createdToken(t *testing.T, res response) srapi.Token {
	t.Helper()
	if res.status != http.StatusCreated {
		t.Fatalf("create token: %d %s", res.status, res.body)
	}
	var tok srapi.Token
	if err := json.Unmarshal(res.body, &tok); err != nil || tok.ID == "" || tok.Token == "" {
		t.Fatalf("create token answer %s: %v", res.body, err)
	}
	return tok
}

// adminAuthFile writes an auth configuration whose one user, alice
// (password pw-alice), administers every subject, followed by extra.
func adminAuthFile(t *testing.T, extra string) string {
	t.Helper()
	return servertest.AuthConfigFile(t, []servertest.User{{Name: "alice", Password: "pw-alice", Grants: []string{"admin:*"}}}, extra)
}

// startWithAdmin starts a registry whose one user is alice, who
// administers every subject.
func startWithAdmin(t *testing.T) *servertest.Registry {
	t.Helper()
	return servertest.Start(t, servertest.WithConfig(server.Config{Ops: opsConfig(adminAuthFile(t, ""))}))
}
