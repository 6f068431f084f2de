// The JSON reader (`JSONDocument`, `JSONCursor`, `JSONError`) lives in the `JSON` module; the importers' API is
// written in its types, so importing `Importers` brings them too.
@_exported import JSON
