package srapi

import "strings"

// RequestMediaTypes are the media types a request body may carry; each is
// read as JSON. They are the ones Confluent's registry consumes, and what
// its clients send (confluent-kafka-go, franz-go and kafkajs all send
// ContentType). A body without a media type is refused: browsers send
// cross-site form posts with text/plain or form types and without a
// preflight, and none of these types can be sent that way.
var RequestMediaTypes = []string{
	ContentType,
	"application/vnd.schemaregistry+json",
	"application/json",
	"application/octet-stream",
}

// IsRequestMediaType reports whether a Content-Type header value names one
// of RequestMediaTypes, ignoring case and parameters such as charset.
func IsRequestMediaType(header string) bool {
	mt, _, _ := strings.Cut(header, ";")
	mt = strings.TrimSpace(mt)
	for _, ok := range RequestMediaTypes {
		if strings.EqualFold(mt, ok) {
			return true
		}
	}
	return false
}

// UnsupportedMediaType is the message of the 415 answer to a body of
// another media type, as Confluent words it.
const UnsupportedMediaType = "HTTP 415 Unsupported Media Type"
