"""What a page embeds and the token it carries: direct-trust minting (mint.py, portable), unified
access tokens (mint_uat.py, portable; their keys and /.well-known/jwks.json), which token a page
gets, the embed pages, the token API, and the views file."""
