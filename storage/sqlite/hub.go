package sqlite

import (
	"errors"
	"sync"

	"github.com/schemata-dev/schemata/internal/registry"
)

// maxQueued is how many undelivered changes a watcher may fall behind by
// before its queue collapses into one ChangeReset.
const maxQueued = 1024

// hub fans committed changes out to in-process watchers. publish never
// blocks: each subscriber has its own queue, drained by its Watch loop.
type hub struct {
	mu       sync.Mutex
	subs     map[*subscriber]struct{}
	closed   chan struct{}
	isClosed bool
}

type subscriber struct {
	mu    sync.Mutex
	queue []registry.Change
	// ready holds a token while queue is non-empty.
	ready chan struct{}
}

var errClosed = errors.New("store closed")

func newHub() *hub {
	return &hub{subs: make(map[*subscriber]struct{}), closed: make(chan struct{})}
}

func (h *hub) subscribe() (*subscriber, error) {
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.isClosed {
		return nil, errClosed
	}
	s := &subscriber{ready: make(chan struct{}, 1)}
	h.subs[s] = struct{}{}
	return s, nil
}

func (h *hub) unsubscribe(s *subscriber) {
	h.mu.Lock()
	defer h.mu.Unlock()
	delete(h.subs, s)
}

func (h *hub) publish(c registry.Change) {
	h.mu.Lock()
	defer h.mu.Unlock()
	for s := range h.subs {
		s.push(c)
	}
}

func (h *hub) close() {
	h.mu.Lock()
	defer h.mu.Unlock()
	if !h.isClosed {
		h.isClosed = true
		close(h.closed)
	}
}

func (s *subscriber) push(c registry.Change) {
	s.mu.Lock()
	if len(s.queue) >= maxQueued {
		s.queue = append(s.queue[:0], registry.Change{Kind: registry.ChangeReset})
	} else {
		s.queue = append(s.queue, c)
	}
	s.mu.Unlock()
	select {
	case s.ready <- struct{}{}:
	default:
	}
}

// take returns and clears the queued changes.
func (s *subscriber) take() []registry.Change {
	s.mu.Lock()
	defer s.mu.Unlock()
	q := s.queue
	s.queue = nil
	return q
}
