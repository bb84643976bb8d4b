"""Wrong join codes, counted per account and per address, so that guessing a code is hopeless.

Each try is written down before the code is looked at and kept only if the code was wrong,
so server processes running side by side see each other's tries and none can slip past the
limit. A class at the bell shares one address and students mistype: the address limits
leave room for a few classes joining at once. The arithmetic is beside classroom.models.CODE_WORDS.
"""

import ipaddress
import math
from datetime import timedelta

from axes.helpers import get_client_ip_address
from django.utils import timezone

from annotator.errors import TooManyAttempts

from .models import JoinAttempt

# (kind of key, wrong codes allowed, within): the next wrong-or-right try after that many is
# refused unseen until the oldest of them is older than the window.
LIMITS = (
    ("account", 5, timedelta(minutes=15)),
    ("address", 50, timedelta(minutes=15)),
    ("address", 200, timedelta(days=1)),
)
KEPT_FOR = max(window for _, _, window in LIMITS)
# Every hundredth try also sweeps old rows of keys that never came back.
SWEEP_EVERY = 100


def client_address(request):
    """The address sign-in throttling counts by (django-axes' setting), so both agree."""
    return get_client_ip_address(request) or "unknown"


def keys_for(account=None, address=None):
    keys = {}
    if account is not None:
        keys["account"] = f"account:{account.pk}"
    if address is not None:
        keys["address"] = f"address:{_network(address)}"
    return keys


def _network(address):
    """An IPv6 address counts as its /64, which one household or attacker holds whole."""
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return address
    if ip.version == 4:
        return str(ip)
    if ip.ipv4_mapped:
        return str(ip.ipv4_mapped)
    return str(ipaddress.ip_network(f"{ip}/64", strict=False))


def start(keys):
    """Write down one try for each key; refuse with TooManyAttempts (writing nothing) if over a limit.

    Returns the rows written: hand them to `right` or `wrong` once the code has been looked at.
    """
    now = timezone.now()
    rows = JoinAttempt.objects.bulk_create([JoinAttempt(key=key) for key in keys.values()])
    own = [row.pk for row in rows]
    waits = []
    for kind, limit, window in LIMITS:
        if kind not in keys:
            continue
        recent = JoinAttempt.objects.filter(key=keys[kind], created__gte=now - window).exclude(pk__in=own)
        earlier = recent.count()
        if earlier >= limit:
            # The try becomes possible when enough of the earlier ones have aged out.
            freed = recent.order_by("created").values_list("created", flat=True)[earlier - limit]
            waits.append((freed + window - now, kind, limit, window))
    if waits:
        JoinAttempt.objects.filter(pk__in=own).delete()
        raise refusal(*max(waits))
    return own


def right(own):
    """The code was right: the try does not count."""
    JoinAttempt.objects.filter(pk__in=own).delete()


def wrong(own, keys):
    """The code was wrong: the try counts. Rows too old to count are deleted on the way."""
    cutoff = timezone.now() - KEPT_FOR
    old = JoinAttempt.objects.filter(created__lt=cutoff)
    if any(pk % SWEEP_EVERY == 0 for pk in own):
        old.delete()
    else:
        old.filter(key__in=keys.values()).delete()


def left_before_pause(keys):
    """How many more wrong codes the account may type before joining pauses, or None without one."""
    if "account" not in keys:
        return None
    now = timezone.now()
    return min(
        limit - JoinAttempt.objects.filter(key=keys[kind], created__gte=now - window).count()
        for kind, limit, window in LIMITS if kind == "account"
    )


def refusal(wait, kind, limit, window):
    who = "from your account" if kind == "account" else "from this network (everyone here shares it)"
    return TooManyAttempts(
        f"Too many wrong join codes {who}: {limit} in {_duration(window)}. "
        f"Check the code with your teacher and try again in {_duration(wait)}.",
        "code", retry_after=max(1, math.ceil(wait.total_seconds())),
    )


def _duration(delta):
    minutes = max(1, math.ceil(delta.total_seconds() / 60))
    if minutes < 90:
        return f"{minutes} minute{'s' if minutes != 1 else ''}"
    hours = round(minutes / 60)
    return f"{hours} hours" if hours < 24 else "a day"
