package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"strconv"
	"time"
)

// copiedHeaders are the response headers the bare handler repeats from
// the page it copies, so that it sends what the registry sends.
var copiedHeaders = []string{"Content-Type", "Etag", "Cache-Control", "X-Content-Type-Options"}

// bareHandler answers every request with the same status, headers and
// bytes, doing nothing else: the ceiling any handler serving those bytes
// over net/http can reach.
type bareHandler struct {
	header http.Header
	body   []byte
}

// fetchBare GETs url and returns a bareHandler serving its answer.
func fetchBare(ctx context.Context, client *http.Client, url string) (*bareHandler, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return nil, err
	}
	resp, err := client.Do(req)
	if err != nil {
		return nil, fmt.Errorf("fetch %s: %w", url, err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		return nil, fmt.Errorf("fetch %s: %w", url, err)
	}
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("fetch %s: %w %d", url, errStatus, resp.StatusCode)
	}
	h := http.Header{"Content-Length": {strconv.Itoa(len(body))}}
	for _, k := range copiedHeaders {
		if v := resp.Header.Values(k); len(v) > 0 {
			h[http.CanonicalHeaderKey(k)] = v
		}
	}
	return &bareHandler{header: h, body: body}, nil
}

// ServeHTTP writes the fixed answer.
func (b *bareHandler) ServeHTTP(w http.ResponseWriter, _ *http.Request) {
	h := w.Header()
	for k, v := range b.header {
		h[k] = v
	}
	w.WriteHeader(http.StatusOK)
	w.Write(b.body)
}

// serveBare serves h on listen until ctx ends or lifetime passes, and
// prints "bare listening on http://ADDR" to out once it accepts
// connections.
func serveBare(ctx context.Context, h http.Handler, listen string, lifetime time.Duration, out io.Writer) error {
	ln, err := net.Listen("tcp", listen)
	if err != nil {
		return fmt.Errorf("listen on %s: %w", listen, err)
	}
	srv := &http.Server{Handler: h, ReadHeaderTimeout: 10 * time.Second, IdleTimeout: 2 * time.Minute}
	fmt.Fprintf(out, "bare listening on http://%s\n", ln.Addr())

	ctx, cancel := context.WithTimeout(ctx, lifetime)
	defer cancel()
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	select {
	case err := <-errc:
		return fmt.Errorf("serve: %w", err)
	case <-ctx.Done():
	}
	shutdownCtx, stop := context.WithTimeout(context.WithoutCancel(ctx), 5*time.Second)
	defer stop()
	if err := srv.Shutdown(shutdownCtx); err != nil {
		return fmt.Errorf("shutdown: %w", err)
	}
	if err := <-errc; !errors.Is(err, http.ErrServerClosed) {
		return fmt.Errorf("serve: %w", err)
	}
	return nil
}
