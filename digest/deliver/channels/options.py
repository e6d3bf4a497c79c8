"""Config section `[channels]`: the group bots (WeCom, DingTalk, Feishu) briefings are pushed to.

A webhook URL carries the bot's credential (WeCom's `key`, DingTalk's
`access_token`), so it is a secret like the signing secrets: it comes from the
config file or the environment only, and is never shown.
"""

from __future__ import annotations


from ...options import at_least, config_section, http_url, section, setting


@config_section
class WecomOptions:
    """`[channels.wecom]`: a WeCom (企业微信) group bot."""

    webhook: str | None = setting(
        None, "The group bot's webhook URL (https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=…).",
        env="DIGEST_WECOM_WEBHOOK", secret=True, check=http_url)


@config_section
class DingtalkOptions:
    """`[channels.dingtalk]`: a DingTalk (钉钉) custom robot."""

    webhook: str | None = setting(
        None, "The robot's webhook URL (https://oapi.dingtalk.com/robot/send?access_token=…).",
        env="DIGEST_DINGTALK_WEBHOOK", secret=True, check=http_url)
    secret: str | None = setting(
        None, "The robot's signing secret (SEC…), when its security setting is 加签.",
        env="DIGEST_DINGTALK_SECRET", secret=True)


@config_section
class FeishuOptions:
    """`[channels.feishu]`: a Feishu/Lark (飞书) custom bot."""

    webhook: str | None = setting(
        None, "The bot's webhook URL (https://open.feishu.cn/open-apis/bot/v2/hook/…).",
        env="DIGEST_FEISHU_WEBHOOK", secret=True, check=http_url)
    secret: str | None = setting(
        None, "The bot's signing secret, when its security setting is 签名校验.",
        env="DIGEST_FEISHU_SECRET", secret=True)


@config_section
class ChannelOptions:
    """Config section `[channels]`: how pushes go out; one sub-section per bot."""

    timeout: float = setting(10.0, "Seconds to wait for a bot's server at each step.", check=at_least(0))
    attempts: int = setting(
        3, "Tries for a temporary failure (rate limit, 5xx, refused connection) before giving up.",
        check=at_least(1))
    backoff: float = setting(2.0, "Seconds before the first retry; doubled for each further retry.",
                             check=at_least(0))
    wecom: WecomOptions = section(WecomOptions)
    dingtalk: DingtalkOptions = section(DingtalkOptions)
    feishu: FeishuOptions = section(FeishuOptions)


    def configured(self) -> tuple[str, ...]:
        """The channels whose webhook is set, in a fixed order."""
        return tuple(name for name in CHANNELS if getattr(self, name).webhook)


CHANNELS = ("wecom", "dingtalk", "feishu")
