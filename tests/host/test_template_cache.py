"""Templates compiled once per process are shared by every app, and an edited one is compiled again."""

from __future__ import annotations

from jinja2 import Environment, FileSystemLoader

from host.template_cache import SharedBytecodeCache


def test_a_second_app_reuses_the_code_and_an_edited_template_is_compiled_again(tmp_path):
    cache = SharedBytecodeCache()
    page = tmp_path / "page.html"
    page.write_text("Hello {{ name }}", encoding="utf-8")

    def render() -> str:
        env = Environment(loader=FileSystemLoader(tmp_path), bytecode_cache=cache, autoescape=True)
        return env.get_template("page.html").render(name="<alice>")

    assert render() == "Hello &lt;alice&gt;"
    assert len(cache._code) == 1  # the compiled template is kept for the next app
    page.write_text("Bye {{ name }}", encoding="utf-8")
    assert render() == "Bye &lt;alice&gt;"  # the source changed: compiled again, not the old code

