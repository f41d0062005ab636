package jsonschema

import (
	"encoding/json"
	"math/big"
	"strconv"
	"strings"
)

// maxExponent bounds the decimal exponent of numbers compared exactly:
// beyond it big.Rat would build enormous integers from a few bytes of text.
const maxExponent = 1000

func jsonNumber(lit string) json.Number { return json.Number(lit) }

// ratOf returns the exact value of a JSON number literal. ok is false for
// literals whose exponent exceeds maxExponent.
func ratOf(lit string) (*big.Rat, bool) {
	if i := strings.IndexAny(lit, "eE"); i >= 0 {
		exp, err := strconv.Atoi(strings.TrimPrefix(lit[i+1:], "+"))
		if err != nil || exp > maxExponent || exp < -maxExponent {
			return nil, false
		}
	}
	r, ok := new(big.Rat).SetString(lit)
	return r, ok
}

// Rat returns the exact value of a number. ok is false for a value that is
// not a number or whose exponent is too large to compare exactly.
func (v *Value) Rat() (r *big.Rat, ok bool) {
	if v == nil || v.kind != Number {
		return nil, false
	}
	return ratOf(v.text)
}
