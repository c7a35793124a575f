"""The custom application of Tableau's connected-app workflow: signin/, embed/ (the token and its pages),
eas/, rest/, state/, assets/, diagnostics/, rotation/, lab/ (docs/architecture.md draws them)."""
