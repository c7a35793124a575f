"""JWT header and claim rules for connected apps (documents 000, 001, 004; reference/README.md)."""

# Direct trust signs with the shared secret, HS256 only (document 004, "alg").
DIRECT_TRUST_ALGORITHM = "HS256"
# EAS and unified access tokens sign with an asymmetric key (001: RSA, at least 2048 bits, 10088).
ASYMMETRIC_ALGORITHMS = ("RS256", "RS384", "RS512", "PS256", "PS384", "PS512")
MIN_RSA_KEY_BITS = 2048

# 'aud' must be "tableau", case sensitive (000, code 10084); a site-level EAS uses the site ID (002).
AUDIENCE = "tableau"

# 'exp' at most 10 minutes ahead (000, codes 16 and 10096).
MAX_LIFETIME_SECONDS = 600

# A JWT over 8000 bytes is refused (000, code 10103).
MAX_TOKEN_BYTES = 8000

# Dynamic group membership (002) and on-demand access (Tableau Cloud only, the string "true").
GROUPS_CLAIM = "https://tableau.com/groups"
ON_DEMAND_ACCESS_CLAIM = "https://tableau.com/oda"

# Claims a connected-app token must carry; user attributes are any further top-level claims.
REGISTERED_CLAIMS = ("iss", "sub", "aud", "exp", "jti", "scp")
