import json
import subprocess
import sys

import pytest

from digest.config import KEYS, Config, load_config, resolve
from digest.errors import ConfigError
from digest.options import at_least, config_section, keys, section, setting
from digest.summarize import SummaryOptions

from conftest import ROOT


def test_defaults():
    assert load_config(environ={}) == Config()


def test_layers_file_then_environment_then_flags(tmp_path):
    path = tmp_path / "digest.toml"
    path.write_text('templates = "tpl"\n[summary]\nmax_chars = 120\nmin_chars = 50\n', encoding="utf-8")
    config = load_config(path, environ={"DIGEST_SUMMARY_MAX_CHARS": "130"}, overrides={"summary.min_chars": 40})
    assert config.templates == tmp_path / "tpl"  # relative to the file
    assert (config.summary.max_chars, config.summary.min_chars) == (130, 40)


def test_config_path_from_environment(tmp_path):
    path = tmp_path / "c.toml"
    path.write_text('[email]\nfrom = "x <a@b.example>"\n', encoding="utf-8")
    assert load_config(environ={"DIGEST_CONFIG": str(path)}).email.sender == "x <a@b.example>"


@pytest.mark.parametrize("text, message", [
    ('[summary]\nmax_char = 3\n', "unknown config keys: summary.max_char"),
    ('colour = "red"\nshape = 1\n', "unknown config keys: colour, shape"),
    ('[colour]\nred = 1\n', "unknown config keys: colour"),
    ('[summary]\nmax_chars = -5\n', "summary.max_chars = -5: must be a positive integer"),
    ('[summary]\nmax_chars = 1.5\n', "summary.max_chars = 1.5: must be an integer"),
    ('[summary]\nmin_chars = 200\n', "min_chars is larger than summary.max_chars"),
    ('[summary\n', "cannot read config file"),
    ('[summary.model]\nmin_score = 0.5\n', "summary.model.min_score = 0.5: must be 0 or less"),
    ('[summary.model]\nsource_bias = -1\n', "summary.model.source_bias = -1: must be 0 or more"),
    ('[summary.model]\nbigram_bias = -0.5\n', "summary.model.bigram_bias = -0.5: must be 0 or more"),
    ('[summary.model]\ndevice = "tpu"\n', "summary.model.device = 'tpu': must be one of auto, cpu, cuda"),
    ('[smtp]\nport = 70000\n', "smtp.port = 70000: must be a port number"),
    ('[smtp]\nsecurity = "tls"\n', "smtp.security = 'tls': must be one of none, starttls, ssl"),
    ('[wiki]\npush = "maybe"\n', "wiki.push = 'maybe': must be true or false"),
    ('[email]\nto = [1, true]\n', "email.to = .*must be text"),
    ('summary = 3\n', "unknown config keys: summary"),
])
def test_bad_config_names_the_problem(tmp_path, text, message):
    path = tmp_path / "digest.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError, match=message):
        load_config(path, environ={})


def test_missing_config_file(tmp_path):
    with pytest.raises(ConfigError, match="config file not found"):
        load_config(tmp_path / "nope.toml", environ={})


def test_summary_options_follow_config():
    assert load_config(environ={"DIGEST_SUMMARY_MAX_SENTENCES": "2"}).summary.max_sentences == 2


def test_model_decoding_settings_reach_the_model_options(tmp_path):
    path = tmp_path / "digest.toml"
    path.write_text("[summary.model]\nmin_score = -inf\ncompress = true\ncandidates = 2\nbigram_bias = 1.5\n",
                    encoding="utf-8")
    model = load_config(path, environ={"DIGEST_SUMMARY_MODEL_SOURCE_BIAS": "0"}).summary.model
    assert (model.min_score, model.compress, model.candidates, model.source_bias, model.bigram_bias) == (
        float("-inf"), True, 2, 0.0, 1.5)


def test_every_key_of_the_old_flat_config_and_its_environment_name_still_works():
    expected = {
        "templates": "DIGEST_TEMPLATES", "lexicon": "DIGEST_LEXICON", "input": "DIGEST_INPUT",
        "state_dir": "DIGEST_STATE_DIR", "summary.backend": "DIGEST_SUMMARY_BACKEND",
        "summary.min_chars": "DIGEST_SUMMARY_MIN_CHARS", "summary.max_chars": "DIGEST_SUMMARY_MAX_CHARS",
        "summary.max_sentences": "DIGEST_SUMMARY_MAX_SENTENCES",
        "summary.headline_max_chars": "DIGEST_SUMMARY_HEADLINE_MAX_CHARS",
        "email.from": "DIGEST_SMTP_FROM", "email.to": "DIGEST_EMAIL_TO",
        "email.unsubscribe_url": "DIGEST_EMAIL_UNSUBSCRIBE_URL", "email.empty_day": "DIGEST_EMAIL_EMPTY_DAY",
        "wiki.path": "DIGEST_WIKI_PATH", "wiki.lock_timeout": "DIGEST_WIKI_LOCK_TIMEOUT",
        **{f"smtp.{name}": f"DIGEST_SMTP_{name.upper()}"
           for name in ("host", "port", "security", "user", "password", "timeout", "attempts", "backoff")},
        **{f"summary.model.{name}": f"DIGEST_SUMMARY_MODEL_{name.upper()}"
           for name in ("dir", "device", "num_beams", "no_repeat_ngram_size", "max_input_tokens",
                        "headline_max_new_tokens", "summary_max_new_tokens", "batch_size", "source_bias",
                        "bigram_bias", "candidates", "compress", "min_score")},
        **{f"wiki.{name}": f"DIGEST_WIKI_{name.upper()}"
           for name in ("daily_page", "weekly_page", "index_page", "push", "remote")},
        **{f"channels.{name}": f"DIGEST_CHANNELS_{name.upper()}" for name in ("timeout", "attempts", "backoff")},
        "channels.wecom.webhook": "DIGEST_WECOM_WEBHOOK", "channels.dingtalk.webhook": "DIGEST_DINGTALK_WEBHOOK",
        "channels.dingtalk.secret": "DIGEST_DINGTALK_SECRET", "channels.feishu.webhook": "DIGEST_FEISHU_WEBHOOK",
        "channels.feishu.secret": "DIGEST_FEISHU_SECRET",
        "site.base_url": "DIGEST_SITE_BASE_URL", "site.title": "DIGEST_SITE_TITLE",
    }
    assert expected.items() <= {k.key: k.env for k in KEYS}.items()
    assert {k.key: k.env for k in KEYS}["feeds.timeout"] == "DIGEST_FEEDS_TIMEOUT"  # sections added since


def test_a_feed_url_in_the_config_file_is_not_taken_for_a_path(tmp_path):
    path = tmp_path / "digest.toml"
    path.write_text('input = ["exports", "http://127.0.0.1:4000/feeds/all.atom", "/srv/x.json"]\n', encoding="utf-8")
    assert load_config(path, environ={}).inputs == (
        str(tmp_path / "exports"), "http://127.0.0.1:4000/feeds/all.atom", "/srv/x.json")


def test_a_new_setting_is_one_declaration():
    @config_section
    class FeedOptions:
        timeout: float = setting(20.0, "Seconds to wait for a feed server.", check=at_least(0))

    @config_section
    class Root:
        feeds: FeedOptions = section(FeedOptions)

    (key,) = keys(Root)
    assert (key.key, key.env, key.default, key.parse("2.5")) == ("feeds.timeout", "DIGEST_FEEDS_TIMEOUT", 20.0, 2.5)
    with pytest.raises(ValueError, match="must be 0 or more"):
        key.parse("-1")
    with pytest.raises(ConfigError, match="timeout = -1.0: must be 0 or more"):
        FeedOptions(timeout=-1.0)  # checked when built in code too


def test_options_built_in_code_are_checked_too():
    with pytest.raises(ConfigError, match="max_sentences = 0: must be a positive integer"):
        SummaryOptions(max_sentences=0)


def test_each_key_reports_its_value_and_source(tmp_path):
    path = tmp_path / "digest.toml"
    path.write_text('[summary]\nmax_chars = 120\nbackend = "auto"\n[smtp]\npassword = "file-secret"\n',
                    encoding="utf-8")
    resolved = resolve(path, environ={"DIGEST_SUMMARY_MAX_CHARS": "130", "DIGEST_WIKI_PUSH": "yes"},
                       overrides={"summary.backend": "extractive", "templates": None})
    by_key = {s.key.key: s for s in resolved.settings}
    assert (by_key["summary.max_chars"].value, by_key["summary.max_chars"].source) == (130, "env")
    assert (by_key["summary.backend"].value, by_key["summary.backend"].source) == ("extractive", "flag")
    assert (by_key["wiki.push"].value, by_key["wiki.push"].source) == (True, "env")
    assert (by_key["smtp.password"].value, by_key["smtp.password"].source) == ("file-secret", "file")
    assert (by_key["templates"].value, by_key["templates"].source) == (None, "default")


def test_digest_config_json_reports_value_and_source(tmp_path):
    path = tmp_path / "digest.toml"
    path.write_text('lexicon = "lex.toml"\n[summary]\nmax_chars = 120\n[smtp]\npassword = "hunter2"\n'
                    '[email]\nto = ["a@example.org"]\n', encoding="utf-8")
    env = {"PATH": "/usr/bin:/bin", "HOME": str(tmp_path), "DIGEST_SMTP_PORT": "2525",
           "DIGEST_SUMMARY_MAX_CHARS": "140"}
    result = subprocess.run([sys.executable, "-m", "digest", "config", "--json", "-c", str(path),
                             "--summarizer", "auto"], capture_output=True, text=True, env=env, cwd=ROOT, check=True)
    rows = {row["key"]: row for row in json.loads(result.stdout)}
    assert set(rows) == {k.key for k in KEYS}
    assert all(set(row) == {"key", "value", "source", "env", "doc"} for row in rows.values())
    assert rows["smtp.port"] == {**rows["smtp.port"], "value": 2525, "source": "env", "env": "DIGEST_SMTP_PORT"}
    assert (rows["summary.max_chars"]["value"], rows["summary.max_chars"]["source"]) == (140, "env")
    assert (rows["summary.backend"]["value"], rows["summary.backend"]["source"]) == ("auto", "flag")
    assert (rows["lexicon"]["value"], rows["lexicon"]["source"]) == (str(tmp_path / "lex.toml"), "file")
    assert (rows["email.to"]["value"], rows["email.to"]["source"]) == (["a@example.org"], "file")
    assert (rows["summary.model.min_score"]["value"], rows["summary.model.min_score"]["source"]) == (-0.6, "default")
    assert rows["smtp.password"]["value"] == "(hidden)" and "hunter2" not in result.stdout


def test_a_secret_never_appears_in_an_error(tmp_path):
    path = tmp_path / "digest.toml"
    path.write_text('[smtp]\npassword = ["p4ss-in-a-list"]\n', encoding="utf-8")
    with pytest.raises(ConfigError) as error:
        load_config(path, environ={})
    assert "smtp.password" in str(error.value) and "p4ss" not in str(error.value)


@pytest.mark.parametrize("source", ["file", "env", "code"])
def test_email_to_holds_only_addresses_wherever_it_comes_from(tmp_path, source):
    from digest.render.email import EmailOptions

    good, bad = "ops@example.org", "Ops Team"
    path = tmp_path / "digest.toml"
    path.write_text(f'[email]\nto = ["{good}", "{bad}"]\n', encoding="utf-8")
    with pytest.raises(ConfigError) as caught:
        if source == "file":
            load_config(path, environ={})
        elif source == "env":
            load_config(environ={"DIGEST_EMAIL_TO": f"{good}, {bad}"})
        else:
            EmailOptions(to=(good, bad))
    assert "to = " in str(caught.value) and f"not an email address: '{bad}'" in str(caught.value)
    if source != "code":
        assert str(caught.value).startswith("config key email.to = ")
    for almost in ("a@b@c.org", "<a@b.org>", "a@.org", "a@b.org\r\nBcc: x@y.org", "a b@c.org"):
        with pytest.raises(ConfigError, match="not an email address"):
            load_config(environ={"DIGEST_EMAIL_TO": almost})
    assert load_config(environ={"DIGEST_EMAIL_TO": f"{good},x.y+z@mail.example.cn"}).email.to == (
        good, "x.y+z@mail.example.cn")


@pytest.mark.parametrize("key, value", [
    ("render.web_url", "https://"), ("render.web_url", "https:///{id}.html"),
    ("site.base_url", "ftp://example.org/"), ("channels.wecom.webhook", "https://"),
])
def test_every_address_setting_takes_only_an_http_url(key, value):
    with pytest.raises(ConfigError, match=f"config key {key} = .*must be an http"):
        load_config(environ={}, overrides={key: value})


def test_a_web_url_with_its_placeholders_is_an_http_url():
    assert load_config(environ={}, overrides={"render.web_url": "https://n.example.org/{kind}/{period}.html"})
