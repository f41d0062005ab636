package api_test

import (
	"io"
	"net/http"
	"testing"

	"github.com/schemata-dev/schemata/internal/server"
	"github.com/schemata-dev/schemata/internal/server/servertest"
)

// BenchmarkSchemaByIDOverHTTP is the runtime lookup path end to end: a
// keep-alive client fetching GET /schemas/ids/{id} from the API over the
// embedded store, with parallel clients.
func BenchmarkSchemaByIDOverHTTP(b *testing.B) {
	s := newServer(b, servertest.SQLite, server.Config{}, servertest.WithoutLogs())
	s.mustDo(b, request{Method: "POST", Path: "/subjects/bench-value/versions", Body: `{"schema":"{\"type\":\"record\",\"name\":\"Order\",\"fields\":[{\"name\":\"id\",\"type\":\"string\"}]}"}`}, 200)
	tr := &http.Transport{MaxIdleConnsPerHost: 64}
	defer tr.CloseIdleConnections()
	client := &http.Client{Transport: tr}
	url := s.URL + "/schemas/ids/1"
	b.ReportAllocs()
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			resp, err := client.Get(url)
			if err != nil {
				b.Error(err)
				return
			}
			_, _ = io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
			if resp.StatusCode != 200 {
				b.Errorf("status %d", resp.StatusCode)
				return
			}
		}
	})
}
