"""What a page embeds and the token it carries: minting (mint.py, mint_uat.py: portable), which
token a page gets (viz_token.py), the pages, the token API (api.py), the views file, the JWKS."""
