"""Connected-app error codes the simulator answers with ("Troubleshoot Connected Apps",
"Register EAS to Enable SSO for Embedded Content").

Names and summaries come from the shared catalogue (tableau_rules/catalogue.json). A failure is
raised as `SignInError(code, detail)`; the HTTP layer turns it into the documented body
`{"result": {"errors": [{"code", "summary", "detail"}]}}`. Which cause maps to which code, and why
where two codes share a cause, is in docs/simulator-codes.md.
"""

from dataclasses import dataclass

from tableau_rules import catalogue

# Codes about where or whether the feature may be used rather than who the caller is: 403.
# Everything else is a failed authentication: 401.
FORBIDDEN_CODES = frozenset({67, 10092, 10101, 10102, 10105, 10106})


@dataclass
class SignInError(Exception):
    """A documented connected-app failure; `detail` names the cause, never token contents."""

    code: int
    detail: str

    def __post_init__(self) -> None:
        catalogue.entry(self.code)  # raises UnknownCode for an undocumented code
        super().__init__(self.code, self.detail)

    @property
    def summary(self) -> str:
        return catalogue.entry(self.code).name

    @property
    def http_status(self) -> int:
        return 403 if self.code in FORBIDDEN_CODES else 401

    def body(self) -> dict:
        """The documented error body the Embedding API library reads (Embedding API reference,
        `VizLoadErrorEvent`)."""
        description = catalogue.entry(self.code).summary
        return {"result": {"errors": [
            {"code": self.code, "summary": self.summary, "detail": f"{description}: {self.detail}"},
        ]}}
