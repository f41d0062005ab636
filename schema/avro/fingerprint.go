package avro

// fpEmpty is the CRC-64-AVRO fingerprint of the empty string, the seed of
// the specification's Rabin fingerprint.
const fpEmpty uint64 = 0xc15d213aa4d7a795

var fpTable = func() (t [256]uint64) {
	for i := range t {
		fp := uint64(i)
		for range 8 {
			fp = (fp >> 1) ^ (fpEmpty & -(fp & 1))
		}
		t[i] = fp
	}
	return t
}()

// Rabin64 returns the CRC-64-AVRO (Rabin) fingerprint of b, as defined by
// the Avro specification's "Schema Fingerprints" section.
func Rabin64(b []byte) uint64 {
	fp := fpEmpty
	for _, c := range b {
		fp = (fp >> 8) ^ fpTable[byte(fp)^c]
	}
	return fp
}
