package api_test

import (
	"encoding/json"
	"fmt"
	"testing"

	"github.com/schemata-dev/schemata/internal/server"
	"github.com/schemata-dev/schemata/internal/server/servertest"
)

// FuzzRegisterBody sends arbitrary bodies to the registration and
// compatibility endpoints over real HTTP. Whatever arrives, the answer is
// a Confluent error body or a success, never a 5xx, and what was stored
// before stays readable.
func FuzzRegisterBody(f *testing.F) {
	f.Add(`{"schema":"{\"type\":\"record\",\"name\":\"R\",\"fields\":[{\"name\":\"a\",\"type\":\"int\"}]}"}`)
	f.Add(`{"schema":"syntax = \"proto3\"; message M { int32 a = 1; }","schemaType":"PROTOBUF"}`)
	f.Add(`{"schema":"\"string\"","references":[{"name":"x","subject":"nope","version":1}]}`)
	f.Add(`{"schema":"{\"type\":\"enum\",\"name\":\"E\",\"symbols\":[\"A\",\"A\"]}"}`)
	f.Add(`{"schema":"[\"null\",\"null\"]","id":-1,"version":0}`)
	f.Add(`{"schema":1}`)
	f.Add(`[]`)
	f.Add(``)
	srv := newServer(f, servertest.SQLite, server.Config{}, servertest.WithoutLogs())
	seed := srv.mustDo(f, request{Method: "POST", Path: "/subjects/seed/versions",
		Body: `{"schema":"{\"type\":\"record\",\"name\":\"S\",\"fields\":[{\"name\":\"a\",\"type\":\"int\"}]}"}`}, 200)
	var seeded struct{ ID int }
	if err := json.Unmarshal(seed.Body, &seeded); err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, body string) {
		for _, path := range []string{"/subjects/fuzz/versions", "/compatibility/subjects/seed/versions?verbose=true", "/subjects/seed"} {
			resp := srv.do(t, request{Method: "POST", Path: path, Body: body, ContentType: "application/json"})
			if resp.Status >= 500 {
				t.Fatalf("POST %s answered %d: %s", path, resp.Status, resp.Body)
			}
			if resp.Status >= 400 {
				var e struct {
					Code    int    `json:"error_code"`
					Message string `json:"message"`
				}
				if err := json.Unmarshal(resp.Body, &e); err != nil || e.Code == 0 || e.Message == "" {
					t.Fatalf("POST %s answered %d with a body that is not a Confluent error: %s", path, resp.Status, resp.Body)
				}
			}
		}
		srv.mustDo(t, request{Method: "GET", Path: "/subjects/seed/versions/1"}, 200)
		srv.mustDo(t, request{Method: "GET", Path: fmt.Sprintf("/schemas/ids/%d", seeded.ID)}, 200)
	})
}
