"""What a page embeds and the token it carries: direct-trust minting (mint.py, portable), which
token a page gets, the embed pages, the token API, and the views file."""
