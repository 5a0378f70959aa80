"""Episode definitions: the format (schemas), code validation and matching (codes), publishing and
the contracts/episodes/ loader (service), and the HTTP routes (router). See docs/definitions.md."""
