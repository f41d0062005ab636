package registry

// SetListChunk makes filtered listings read n rows at a time until the
// test ends, so that a few rows cross several chunks.
func SetListChunk(cleanup func(func()), n int) {
	old := listChunk
	listChunk = n
	cleanup(func() { listChunk = old })
}
