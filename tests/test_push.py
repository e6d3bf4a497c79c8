"""Group-bot pushes against a real HTTP server on 127.0.0.1 that checks each platform's payload and signature."""

import base64
import hashlib
import hmac
import json
import re
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

import pytest

from digest.cli import main
from digest.deliver.channels import build_message
from digest.deliver.channels.formats import WECOM_CONTENT_BYTES, bot_text
from digest.deliver.ledger import Ledger

from conftest import SEED, make_record, write_export

DINGTALK_SECRET = "SEC0123456789abcdef"
FEISHU_SECRET = "feishu-secret-42"
PUSH = ["push", "--input", str(SEED), "--date", "2026-01-19", "--now", "2026-01-20T07:00"]


class BotServer:
    """Plays WeCom, DingTalk and Feishu at once: each path is one platform's webhook.

    It checks what the platform checks (JSON, signature, message shape) and answers
    as the platform does: HTTP 200 with errcode/code. `script[channel]` holds
    replies to give before the normal ones: a dict (the JSON reply), or "hang".
    """

    def __init__(self):
        self.received = {"wecom": [], "dingtalk": [], "feishu": []}
        self.script = {"wecom": [], "dingtalk": [], "feishu": []}
        self.errors = []
        server = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def do_POST(self):
                url = urlsplit(self.path)
                channel = {"/cgi-bin/webhook/send": "wecom", "/robot/send": "dingtalk"}.get(url.path, "feishu")
                body = self.rfile.read(int(self.headers["Content-Length"]))
                try:
                    payload = json.loads(body)
                except ValueError:
                    return self.reply(400, {"errcode": 40001, "errmsg": "invalid json"})
                query = parse_qs(url.query)
                verdict = server.check(channel, payload, query)
                action = server.script[channel].pop(0) if server.script[channel] else None
                if action == "hang":
                    server.received[channel].append((payload, query))  # the bot posted it; we never answer in time
                    time.sleep(2)
                    return
                if action:
                    return self.reply(200, action)
                if verdict:
                    server.errors.append(verdict)
                    code_key = "code" if channel == "feishu" else "errcode"
                    return self.reply(200, {code_key: 310000 if channel == "dingtalk" else 19021, "msg": verdict})
                server.received[channel].append((payload, query))
                ok = {"code": 0, "msg": "success", "data": {}} if channel == "feishu" else {"errcode": 0, "errmsg": "ok"}
                self.reply(200, ok)

            def reply(self, status, answer):
                data = json.dumps(answer).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.base = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()

    def check(self, channel, payload, query):
        """What the platform would refuse, or '' when it would post the message."""
        now = time.time()
        if channel == "wecom":
            content = payload.get("markdown", {}).get("content", "")
            if payload.get("msgtype") != "markdown" or not content:
                return "not a markdown message"
            if len(content.encode()) > WECOM_CONTENT_BYTES:
                return "content exceeds 4096 bytes"
        elif channel == "dingtalk":
            stamp, sign = query.get("timestamp", [""])[0], query.get("sign", [""])[0]
            expected = base64.b64encode(hmac.new(DINGTALK_SECRET.encode(), f"{stamp}\n{DINGTALK_SECRET}".encode(),
                                                 hashlib.sha256).digest()).decode()
            # parse_qs decoded the query once: a sign sent without URL-encoding has lost its '+'s here.
            if not stamp or abs(int(stamp) / 1000 - now) > 3600 or sign != expected:
                return "sign not match"
            kind = payload.get("msgtype")
            if kind not in ("markdown", "actionCard") or not payload[kind].get("title") or not payload[kind].get("text"):
                return "bad message"
        else:
            stamp, sign = payload.get("timestamp", ""), payload.get("sign", "")
            expected = base64.b64encode(hmac.new(f"{stamp}\n{FEISHU_SECRET}".encode(), b"",
                                                 hashlib.sha256).digest()).decode()
            if not stamp or abs(int(stamp) - now) > 3600 or sign != expected:
                return "sign match fail or timestamp is not within one hour from current time"
            card = payload.get("card", {})
            if payload.get("msg_type") != "interactive" or card["header"]["title"]["tag"] != "plain_text":
                return "bad card"
        return ""

    def close(self):
        self.httpd.shutdown()
        self.httpd.server_close()


@pytest.fixture
def bots(monkeypatch, tmp_path):
    server = BotServer()
    monkeypatch.setenv("DIGEST_WECOM_WEBHOOK", f"{server.base}/cgi-bin/webhook/send?key=wecom-key")
    monkeypatch.setenv("DIGEST_DINGTALK_WEBHOOK", f"{server.base}/robot/send?access_token=ding-token")
    monkeypatch.setenv("DIGEST_DINGTALK_SECRET", DINGTALK_SECRET)
    monkeypatch.setenv("DIGEST_FEISHU_WEBHOOK", f"{server.base}/open-apis/bot/v2/hook/feishu-hook")
    monkeypatch.setenv("DIGEST_FEISHU_SECRET", FEISHU_SECRET)
    monkeypatch.setenv("DIGEST_STATE_DIR", str(tmp_path / "state"))
    monkeypatch.setenv("DIGEST_CHANNELS_BACKOFF", "0")
    monkeypatch.setenv("DIGEST_CHANNELS_TIMEOUT", "1")
    try:
        yield server
    finally:
        server.close()


def test_two_runs_post_exactly_one_signed_message_to_each_bot(bots, capsys):
    assert main([*PUSH, "-v"]) == 0
    assert main([*PUSH, "-v"]) == 0
    assert bots.errors == []
    assert {channel: len(got) for channel, got in bots.received.items()} == {"wecom": 1, "dingtalk": 1, "feishu": 1}
    assert capsys.readouterr().err.count("already posted earlier") == 3

    wecom, _ = bots.received["wecom"][0]
    content = wecom["markdown"]["content"]
    assert content.startswith("### 天津政务网 · 每日简报｜1月19日（星期一）")
    assert "46个优质项目落地，总投资额近百亿元" in content
    assert "**经济**（4）" in content and "未列出" not in content  # a day fits whole

    dingtalk, query = bots.received["dingtalk"][0]
    assert dingtalk["msgtype"] == "markdown"  # no page to link: plain markdown, not an actionCard
    assert dingtalk["markdown"]["title"] == "天津政务网 · 每日简报｜1月19日（星期一）"
    assert query["access_token"] == ["ding-token"]

    feishu, _ = bots.received["feishu"][0]
    card = feishu["card"]
    assert card["header"]["title"]["content"] == "天津政务网 · 每日简报｜1月19日（星期一）"
    assert [e["tag"] for e in card["elements"]] == ["div"] * 4  # the counts, then 经济, 天气, 社会民生
    assert card["elements"][1]["text"]["tag"] == "lark_md"
    assert "**经济**（4）" in card["elements"][1]["text"]["content"]


def test_with_a_base_url_messages_link_to_the_briefings_page(bots, monkeypatch):
    monkeypatch.setenv("DIGEST_SITE_BASE_URL", "https://news.example.org/briefings/")
    page = "https://news.example.org/briefings/daily/2026-01-19.html"
    assert main(PUSH) == 0
    dingtalk, _ = bots.received["dingtalk"][0]
    assert dingtalk["msgtype"] == "actionCard"
    assert dingtalk["actionCard"]["singleURL"] == page and dingtalk["actionCard"]["singleTitle"] == "查看全文"
    feishu, _ = bots.received["feishu"][0]
    button = feishu["card"]["elements"][-1]
    assert button["tag"] == "action" and button["actions"][0]["url"] == page
    wecom, _ = bots.received["wecom"][0]
    assert f"[在浏览器中查看]({page})" in wecom["markdown"]["content"]


def test_a_week_too_long_for_wecom_is_shortened_by_whole_items_with_a_link(bots, monkeypatch):
    monkeypatch.setenv("DIGEST_SITE_BASE_URL", "https://news.example.org")
    assert main(["push", "--input", str(SEED), "--week", "2026-W03", "--channel", "wecom"]) == 0
    content = bots.received["wecom"][0][0]["markdown"]["content"]
    assert len(content.encode()) <= WECOM_CONTENT_BYTES
    stories = [line for line in content.split("\n") if line.startswith("• ")]
    assert all(re.fullmatch(r"• \[[^\]]+\]\(https?://[^)\s]+\)", line) for line in stories)  # whole items only
    left_out = int(re.search(r"另有(\d+)条未列出", content)[1])
    assert len(stories) + left_out == 30  # the week's 33 posts are 30 items
    assert "[查看全文](https://news.example.org/weekly/2026-W03.html)" in content
    assert bots.received["dingtalk"] == [] and bots.received["feishu"] == []


def test_rate_limit_in_a_200_reply_is_retried(bots):
    bots.script["dingtalk"] = [{"errcode": 130101, "errmsg": "send too fast, exceed 20 times per minute"}]
    bots.script["feishu"] = [{"code": 9499, "msg": "Too Many Request"}]
    assert main(PUSH) == 0
    assert len(bots.received["dingtalk"]) == 1 and len(bots.received["feishu"]) == 1


def test_a_refusal_is_reported_not_retried_and_the_other_bots_still_get_it(bots, tmp_path, capsys):
    bots.script["feishu"] = [{"code": 19024, "msg": "Key Words Not Found"}]
    assert main(PUSH) == 3  # two of three bots posted
    assert "feishu code 19024 Key Words Not Found" in capsys.readouterr().err
    assert len(bots.received["wecom"]) == 1 and len(bots.received["feishu"]) == 0
    with Ledger(tmp_path / "state" / "ledger.sqlite3") as ledger:
        statuses = {who.split(":")[0]: status for _, who, status, _ in ledger.rows()}
    assert statuses == {"wecom": "sent", "dingtalk": "sent", "feishu": "failed"}
    assert main(PUSH) == 0  # the rerun posts only to the bot that refused
    assert [len(v) for v in bots.received.values()] == [1, 1, 1]


def test_a_wrong_secret_is_a_permanent_failure(bots, monkeypatch, capsys):
    monkeypatch.setenv("DIGEST_DINGTALK_SECRET", "SECwrong")
    assert main([*PUSH, "--channel", "dingtalk"]) == 1
    err = capsys.readouterr().err
    assert "dingtalk code 310000 sign not match" in err
    assert "ding-token" not in err and "SECwrong" not in err  # the webhook's key and the secret stay hidden


def test_no_reply_after_posting_is_uncertain_and_not_posted_again(bots, capsys):
    bots.script["wecom"] = ["hang"]
    assert main([*PUSH, "--channel", "wecom"]) == 3
    assert main([*PUSH, "--channel", "wecom"]) == 3
    assert len(bots.received["wecom"]) == 1
    assert "may be posted already" in capsys.readouterr().err
    assert main([*PUSH, "--channel", "wecom", "--force"]) == 0
    assert len(bots.received["wecom"]) == 2


def test_a_refused_connection_is_retried_then_reported(monkeypatch, tmp_path, capsys):
    from conftest import free_port

    monkeypatch.setenv("DIGEST_WECOM_WEBHOOK", f"http://127.0.0.1:{free_port()}/cgi-bin/webhook/send?key=k")
    monkeypatch.setenv("DIGEST_STATE_DIR", str(tmp_path))
    monkeypatch.setenv("DIGEST_CHANNELS_BACKOFF", "0")
    assert main(PUSH) == 1
    err = capsys.readouterr().err
    assert "gave up after 3 attempts" in err and "key=k" not in err


@pytest.mark.parametrize("url", ["file:///etc/passwd", "ftp://example.org/hook", "javascript:alert(1)"])
def test_only_http_webhooks(monkeypatch, url, capsys):
    monkeypatch.setenv("DIGEST_FEISHU_WEBHOOK", url)
    assert main(PUSH) == 1
    err = capsys.readouterr().err
    assert "channels.feishu.webhook = (hidden): must be an http(s) URL" in err and url not in err


def test_webhooks_and_secrets_are_never_shown(bots, capsys):
    assert main(["config"]) == 0
    out = capsys.readouterr().out
    assert "ding-token" not in out and DINGTALK_SECRET not in out and FEISHU_SECRET not in out
    assert "channels.dingtalk.secret = (hidden)  (env, $DIGEST_DINGTALK_SECRET)" in out


def test_push_without_any_bot_is_a_config_error(capsys):
    assert main(PUSH) == 1
    assert "no group bot configured" in capsys.readouterr().err


def test_morning_job_pushes_to_configured_bots_once(bots, monkeypatch, tmp_path):
    monkeypatch.delenv("DIGEST_DINGTALK_WEBHOOK")
    monkeypatch.delenv("DIGEST_FEISHU_WEBHOOK")
    morning = ["run-morning", "--input", str(SEED), "--now", "2026-01-20T07:00"]
    assert main(morning) == 0
    assert main(morning) == 0
    assert len(bots.received["wecom"]) == 1
    assert bots.received["wecom"][0][0]["markdown"]["content"].startswith("### 天津政务网 · 每日简报｜1月19日")


def test_article_text_cannot_become_markup_or_mentions(tmp_path):
    from digest.config import load_config
    from digest.pipeline import run

    record = make_record(title="[点我](javascript:alert(1)) <@all> **紧急** # 通知",
                         content="1月5日，市政府召开常务会议。<at user_id=\"all\">所有人</at> 会议审议有关事项。")
    briefing = run([write_export(tmp_path / "a.json", [record])], None, load_config(environ={}))
    for channel in ("wecom", "dingtalk", "feishu"):
        text = json.dumps(build_message(channel, briefing).payload, ensure_ascii=False)
        assert re.findall(r"\]\((?!https?://)", text) == []  # every link is http(s)
        assert "<@all>" not in text and "<at" not in text and "**紧急**" not in text
    assert bot_text("a\u2028b [c](d)") == "a b ［c］（d）"
