"""The custom application of Tableau's connected-app workflow: sign-in, tokens, embed pages."""
