package registry

import "github.com/schemata-dev/schemata/schema"

// parsers maps each supported format to its parser.
var parsers = map[schema.Format]parseFunc{}
