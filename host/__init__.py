"""The custom application of Tableau's connected-app workflow: sign-in, tokens, embed pages.

signin/ who the user is; embed/ the token and the pages that carry it; eas/ sign-in at an External
Authorization Server (plugged in only when configured); diagnostics/ doctor, CLI, troubleshooting;
lab/ the sandbox's failure lab.
"""
