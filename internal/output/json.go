package output

import (
	"encoding/json"
	"io"
)

// jsonWriter writes the document's JSON contract, indented.
type jsonWriter struct{}

func (jsonWriter) Write(w io.Writer, doc Document) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(doc.JSON)
}
