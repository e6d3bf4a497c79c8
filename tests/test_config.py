import pytest

from digest.config import Config, load_config
from digest.errors import ConfigError


def test_defaults():
    assert load_config(environ={}) == Config()


def test_layers_file_then_environment_then_flags(tmp_path):
    path = tmp_path / "digest.toml"
    path.write_text('templates = "tpl"\n[summary]\nmax_chars = 120\nmin_chars = 50\n', encoding="utf-8")
    config = load_config(path, environ={"DIGEST_SUMMARY_MAX_CHARS": "130"}, overrides={"summary.min_chars": 40})
    assert config.templates == tmp_path / "tpl"  # relative to the file
    assert (config.summary_max_chars, config.summary_min_chars) == (130, 40)


def test_config_path_from_environment(tmp_path):
    path = tmp_path / "c.toml"
    path.write_text('[email]\nfrom = "x <a@b.example>"\n', encoding="utf-8")
    assert load_config(environ={"DIGEST_CONFIG": str(path)}).email_from == "x <a@b.example>"


@pytest.mark.parametrize("text, message", [
    ('[summary]\nmax_char = 3\n', "unknown config keys: summary.max_char"),
    ('colour = "red"\nshape = 1\n', "unknown config keys: colour, shape"),
    ('[summary]\nmax_chars = -5\n', "summary.max_chars = -5: must be a positive integer"),
    ('[summary]\nmin_chars = 200\n', "min_chars is larger than summary.max_chars"),
    ('[summary\n', "cannot read config file"),
    ('[summary.model]\nmin_score = 0.5\n', "summary.model.min_score = 0.5: must be 0 or less"),
    ('[summary.model]\nsource_bias = -1\n', "summary.model.source_bias = -1: must not be negative"),
    ('[summary.model]\nbigram_bias = -0.5\n', "summary.model.bigram_bias = -0.5: must not be negative"),
])
def test_bad_config_names_the_problem(tmp_path, text, message):
    path = tmp_path / "digest.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError, match=message.replace("(", r"\(").replace("$", r"\$")):
        load_config(path, environ={})


def test_missing_config_file(tmp_path):
    with pytest.raises(ConfigError, match="config file not found"):
        load_config(tmp_path / "nope.toml", environ={})


def test_summary_options_follow_config():
    options = load_config(environ={"DIGEST_SUMMARY_MAX_SENTENCES": "2"}).summary_options
    assert options.max_sentences == 2


def test_model_decoding_settings_reach_the_model_options(tmp_path):
    path = tmp_path / "digest.toml"
    path.write_text("[summary.model]\nmin_score = -inf\ncompress = true\ncandidates = 2\nbigram_bias = 1.5\n",
                    encoding="utf-8")
    model = load_config(path, environ={"DIGEST_SUMMARY_MODEL_SOURCE_BIAS": "0"}).summary_options.model
    assert (model.min_score, model.compress, model.candidates, model.source_bias, model.bigram_bias) == (
        float("-inf"), True, 2, 0.0, 1.5)
