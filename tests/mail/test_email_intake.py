"""Intake from email: the shapes real mail clients produce, and hostile ones.

Each email is written here as the bytes a client would send (CRLF line ends, real header
styles), then read back into an IntakeDraft.
"""

from __future__ import annotations

import base64
import os
import time
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest

from app.attachments import add_attachment, attachment_content, list_attachments
from app.cases import log_request
from app.domain import Channel, DomainError, RequestType
from app.email_intake import MAX_DESCRIPTION, NO_DATE, NO_SENDER, SHORTENED_NOTE, read_email
from app.readmodels import RequesterDetails
from app.store import Store
from tests.conftest import SHARED

MSG_DIR = SHARED / "fixtures" / "msg"


def eml(text: str, *, encoding: str = "ascii") -> bytes:
    """Headers and body as written, with the CRLF line ends of the wire."""
    lines = text.lstrip("\n").split("\n")
    return "\r\n".join(lines).encode(encoding)


@pytest.fixture(autouse=True)
def london_time() -> Iterator[None]:
    """Local time for the tests is the DPO's: Europe/London."""
    before = os.environ.get("TZ")
    os.environ["TZ"] = "Europe/London"
    time.tzset()
    yield
    if before is None:
        del os.environ["TZ"]
    else:
        os.environ["TZ"] = before
    time.tzset()


# ---------------------------------------------------------------------------------------
# Real client shapes


OUTLOOK = eml(
    """
Received: from AM0PR01MB1234.eurprd01.prod.exchangelabs.com (2603:10a6:208:1::1) by
 AM0PR01MB5678.eurprd01.prod.exchangelabs.com with HTTPS; Mon, 2 Nov 2026 09:14:07 +0000
From: =?iso-8859-1?Q?Gr=E1inne_O'Sullivan?= <grainne.osullivan@contoso.co.uk>
To: "privacy@example.co.uk" <privacy@example.co.uk>
Subject: Subject access request
Thread-Topic: Subject access request
Thread-Index: AdlS2a1k8YV7t5ZJQ1m1b2zXg3l1Ow==
Date: Mon, 2 Nov 2026 09:14:05 +0000
Message-ID: <AM0PR01MB12340D0B1E6C3E1C5C6BA1B1D9D52@AM0PR01MB1234.eurprd01.prod.exchangelabs.com>
Accept-Language: en-GB, en-US
Content-Language: en-GB
X-MS-Has-Attach:
X-MS-TNEF-Correlator:
Content-Type: multipart/alternative;
\tboundary="_000_AM0PR01MB12340D0B1E6C3E1C5C6BA1B1D9D52AM0PR01MB1234eurp_"
MIME-Version: 1.0

--_000_AM0PR01MB12340D0B1E6C3E1C5C6BA1B1D9D52AM0PR01MB1234eurp_
Content-Type: text/plain; charset="windows-1252"
Content-Transfer-Encoding: quoted-printable

Dear Sir or Madam,

Under Article 15 of the UK GDPR I request a copy of all personal data you h=
old about me, including the =93customer notes=94 on my account (=A3 charges=
 too).

Kind regards,
Gr=E1inne

--_000_AM0PR01MB12340D0B1E6C3E1C5C6BA1B1D9D52AM0PR01MB1234eurp_
Content-Type: text/html; charset="windows-1252"
Content-Transfer-Encoding: quoted-printable

<html><head><meta http-equiv=3D"Content-Type" content=3D"text/html; charset=
=3Dwindows-1252"></head><body><p>Dear Sir or Madam,</p><p>HTML version</p></=
body></html>

--_000_AM0PR01MB12340D0B1E6C3E1C5C6BA1B1D9D52AM0PR01MB1234eurp_--
""",
    encoding="latin-1",
)

GMAIL = eml(
    """
MIME-Version: 1.0
Date: Sat, 31 Oct 2026 23:47:12 -0700
Message-ID: <CAB+1x=Q3oZ4v9xK0m4pYz@mail.gmail.com>
Subject: Please delete my data
From: =?UTF-8?Q?Zo=C3=AB_M=C3=BCller?= <zoe.mueller@gmail.com>
To: privacy@example.co.uk
Content-Type: multipart/alternative; boundary="000000000000a1b2c3d4e5f60718"

--000000000000a1b2c3d4e5f60718
Content-Type: text/plain; charset="UTF-8"
Content-Transfer-Encoding: base64

"""
    + base64.encodebytes(
        "Hello,\n\nPlease erase my account and all data about me (Zoë Müller).\n\nThanks\n".encode()
    )
    .decode()
    .replace("\n", "\r\n")
    + """
--000000000000a1b2c3d4e5f60718
Content-Type: text/html; charset="UTF-8"
Content-Transfer-Encoding: quoted-printable

<div dir=3D"ltr">Hello,<div><br></div><div>Please erase my account</div></div>

--000000000000a1b2c3d4e5f60718--
"""
)

APPLE_MAIL = eml(
    """
From: =?utf-8?Q?Siobh=C3=A1n_Kelly?= <siobhan.kelly@icloud.com>
Content-Type: multipart/alternative;
\tboundary="Apple-Mail=_6F0D1E2A-3B4C-4D5E-8F90-A1B2C3D4E5F6"
Mime-Version: 1.0 (Mac OS X Mail 16.0 \\(3774.600.62\\))
Subject: Correct my address please
Message-Id: <9A8B7C6D-5E4F-4A3B-2C1D-0E9F8A7B6C5D@icloud.com>
Date: Tue, 3 Nov 2026 18:02:44 +0000
To: privacy@example.co.uk
X-Mailer: Apple Mail (2.3774.600.62)

--Apple-Mail=_6F0D1E2A-3B4C-4D5E-8F90-A1B2C3D4E5F6
Content-Transfer-Encoding: quoted-printable
Content-Type: text/plain;
\tcharset=utf-8

Hi,

My address changed to 12 Rue de l=E2=80=99=C3=89glise. Please correct it.

Siobh=C3=A1n
--Apple-Mail=_6F0D1E2A-3B4C-4D5E-8F90-A1B2C3D4E5F6
Content-Transfer-Encoding: 7bit
Content-Type: text/html;
\tcharset=us-ascii

<html><body>Hi</body></html>
--Apple-Mail=_6F0D1E2A-3B4C-4D5E-8F90-A1B2C3D4E5F6--
""",
    encoding="utf-8",
)

FORWARDED = eml("""
From: Helpdesk <helpdesk@example.co.uk>
To: DPO <dpo@example.co.uk>
Subject: Fwd: I want my data
Date: Wed, 4 Nov 2026 08:30:00 +0000
MIME-Version: 1.0
Content-Type: multipart/mixed; boundary="outer"

--outer
Content-Type: text/plain; charset=utf-8

Forwarding this one to you.

---------- Forwarded message ---------
From: Ian Jones <ian@example.net>
Date: Tue, 3 Nov 2026 at 22:10
Subject: I want my data

Send me everything you hold about me.

--outer
Content-Type: message/rfc822
Content-Disposition: attachment; filename="I want my data.eml"

From: Ian Jones <ian@example.net>
To: helpdesk@example.co.uk
Subject: I want my data
Date: Tue, 3 Nov 2026 22:10:00 +0000

Send me everything you hold about me.

--outer--
""")

QUOTED_PRINTABLE = eml("""
From: =?utf-8?q?Ren=C3=A9e?= Dubois <renee@example.fr>
To: privacy@example.co.uk
Subject: =?utf-8?q?Demande_d=E2=80=99acc=C3=A8s?=
Date: Thu, 5 Nov 2026 11:00:00 +0100
MIME-Version: 1.0
Content-Type: text/plain; charset=utf-8
Content-Transfer-Encoding: quoted-printable

Bonjour, je souhaite acc=C3=A9der =C3=A0 mes donn=C3=A9es personnelles. Ceci e=
st une tr=C3=A8s longue ligne coup=C3=A9e par le codage.
""")

BASE64_PLAIN = eml(
    """
From: Ola Nordmann <ola@example.no>
To: privacy@example.co.uk
Subject: Portability
Date: Fri, 6 Nov 2026 07:00:00 +0000
MIME-Version: 1.0
Content-Type: text/plain; charset="utf-8"
Content-Transfer-Encoding: base64

"""
    + base64.encodebytes(
        "Please send my data in a machine-readable format. Blåbærsyltetøy.\n".encode()
    )
    .decode()
    .replace("\n", "\r\n")
)


def _charset_mail(charset: str, name_word: str, body: str, subject: str) -> bytes:
    head = (
        f"From: {name_word} <person@example.org>\r\n"
        "To: privacy@example.co.uk\r\n"
        f"Subject: =?{charset}?B?{base64.b64encode(subject.encode(charset)).decode()}?=\r\n"
        "Date: Mon, 9 Nov 2026 10:00:00 +0000\r\n"
        "MIME-Version: 1.0\r\n"
        f'Content-Type: text/plain; charset="{charset}"\r\n'
        "Content-Transfer-Encoding: 8bit\r\n\r\n"
    )
    return head.encode("ascii") + body.replace("\n", "\r\n").encode(charset)


def _word(charset: str, text: str) -> str:
    return f"=?{charset}?B?{base64.b64encode(text.encode(charset)).decode()}?="


WINDOWS_1252 = _charset_mail(
    "windows-1252",
    _word("windows-1252", "François Lefèvre"),
    "Je voudrais une copie – merci. Coût: 0 €\n",
    "Accès",
)
ISO_8859_7 = _charset_mail(
    "iso-8859-7",
    _word("iso-8859-7", "Γιώργος Παπαδόπουλος"),
    "Παρακαλώ διαγράψτε τα δεδομένα μου.\n",
    "Διαγραφή",
)
KOI8_R = _charset_mail(
    "koi8-r", _word("koi8-r", "Иван Петров"), "Прошу предоставить копию моих данных.\n", "Запрос"
)
SHIFT_JIS = _charset_mail(
    "shift_jis", _word("shift_jis", "山田太郎"), "個人データの開示を請求します。\n", "開示請求"
)

HTML_ONLY = eml("""
From: Web Shop Customer <customer@example.com>
To: privacy@example.co.uk
Subject: Stop marketing
Date: Tue, 10 Nov 2026 12:00:00 +0000
MIME-Version: 1.0
Content-Type: text/html; charset=utf-8

<!DOCTYPE html><html><head><title>Title not wanted</title>
<style>p { color: red }</style><script>alert('hello')</script></head>
<body><p>Please stop sending me marketing &amp; remove me from your list.</p>
<img src="https://tracker.example.com/pixel.gif?id=42" alt="">
<ul><li>Newsletter</li><li>Offers</li></ul>
<p>Thanks&nbsp;&mdash; Customer</p></body></html>
""")

ENCODED_WORD_NAME = eml("""
From: =?utf-8?B?w4lsb8Ovc2UgTydEb25uZWxs?= <eloise@example.ie>
To: privacy@example.co.uk
Subject: =?utf-8?Q?Restriction_of_processing_=E2=80=93_urgent?=
Date: Wed, 11 Nov 2026 16:45:00 +0000
MIME-Version: 1.0
Content-Type: text/plain; charset=utf-8

Please restrict processing.
""")

WITH_ID_ATTACHMENT = eml("""
From: Ann Smith <ann.smith@example.com>
To: privacy@example.co.uk
Subject: SAR with my passport
Date: Thu, 12 Nov 2026 09:00:00 +0000
MIME-Version: 1.0
Content-Type: multipart/mixed; boundary="mixed"

--mixed
Content-Type: multipart/alternative; boundary="alt"

--alt
Content-Type: text/plain; charset=utf-8

My passport is attached.
--alt
Content-Type: text/html; charset=utf-8

<p>My passport is attached.</p>
--alt--
--mixed
Content-Type: image/jpeg
Content-Disposition: attachment; filename="passport.jpg"
Content-Transfer-Encoding: base64

/9j/4AAQSkZJRgABAQAAAQABAAD/2wBDAP//////////////////////////////////////////////////////////////////////////////////////////////////////////////////////////////////////////////////////////////////////////////////////////////wAALCAABAAEBAREA/8QAFAABAAAAAAAAAAAAAAAAAAAAA//EABQQAQAAAAAAAAAAAAAAAAAAAAD/2gAIAQEAAD8AN//Z
--mixed--
""")


CLIENT_SHAPES = {
    "outlook": (
        OUTLOOK,
        "Gráinne O'Sullivan",
        "grainne.osullivan@contoso.co.uk",
        date(2026, 11, 2),
        ["Subject: Subject access request", "“customer notes” on my account (£ charges too)"],
    ),
    "gmail": (
        GMAIL,
        "Zoë Müller",
        "zoe.mueller@gmail.com",
        date(2026, 11, 1),
        ["Subject: Please delete my data", "erase my account and all data about me"],
    ),
    "apple_mail": (
        APPLE_MAIL,
        "Siobhán Kelly",
        "siobhan.kelly@icloud.com",
        date(2026, 11, 3),
        ["12 Rue de l’Église"],
    ),
    "forwarded": (
        FORWARDED,
        "Helpdesk",
        "helpdesk@example.co.uk",
        date(2026, 11, 4),
        ["Forwarding this one to you.", "Send me everything you hold about me."],
    ),
    "quoted_printable": (
        QUOTED_PRINTABLE,
        "Renée Dubois",
        "renee@example.fr",
        date(2026, 11, 5),
        ["Subject: Demande d’accès", "Ceci est une très longue ligne"],
    ),
    "base64": (
        BASE64_PLAIN,
        "Ola Nordmann",
        "ola@example.no",
        date(2026, 11, 6),
        ["Blåbærsyltetøy"],
    ),
    "windows_1252": (
        WINDOWS_1252,
        "François Lefèvre",
        "person@example.org",
        date(2026, 11, 9),
        ["Subject: Accès", "copie – merci. Coût: 0 €"],
    ),
    "iso_8859_7": (
        ISO_8859_7,
        "Γιώργος Παπαδόπουλος",
        "person@example.org",
        date(2026, 11, 9),
        ["Subject: Διαγραφή", "διαγράψτε τα δεδομένα"],
    ),
    "koi8_r": (
        KOI8_R,
        "Иван Петров",
        "person@example.org",
        date(2026, 11, 9),
        ["Subject: Запрос", "копию моих данных"],
    ),
    "shift_jis": (
        SHIFT_JIS,
        "山田太郎",
        "person@example.org",
        date(2026, 11, 9),
        ["Subject: 開示請求", "個人データの開示を請求します。"],
    ),
    "html_only": (
        HTML_ONLY,
        "Web Shop Customer",
        "customer@example.com",
        date(2026, 11, 10),
        ["stop sending me marketing & remove me", "- Newsletter", "Thanks — Customer"],
    ),
    "encoded_word_name": (
        ENCODED_WORD_NAME,
        "Éloïse O'Donnell",
        "eloise@example.ie",
        date(2026, 11, 11),
        ["Restriction of processing – urgent"],
    ),
    "mixed_with_attachment": (
        WITH_ID_ATTACHMENT,
        "Ann Smith",
        "ann.smith@example.com",
        date(2026, 11, 12),
        ["My passport is attached."],
    ),
}


@pytest.mark.parametrize("shape", sorted(CLIENT_SHAPES))
def test_client_shapes_prefill_the_intake(shape: str) -> None:
    data, name, address, received, phrases = CLIENT_SHAPES[shape]
    draft = read_email(data, f"{shape}.eml")
    assert draft.name == name
    assert draft.email == address
    assert draft.received_on == received
    assert draft.channel is Channel.EMAIL
    for phrase in phrases:
        assert phrase in draft.description
    assert draft.problems == ()
    assert draft.original == data
    assert draft.original_filename == f"{shape}.eml"
    assert draft.original_mime_type == "message/rfc822"


def test_html_only_drops_scripts_styles_and_remote_content() -> None:
    draft = read_email(HTML_ONLY, "html.eml")
    for unwanted in ("alert", "color: red", "Title not wanted", "tracker.example.com", "<p>"):
        assert unwanted not in draft.description


def test_outlook_prefers_the_plain_part() -> None:
    assert "HTML version" not in read_email(OUTLOOK, "o.eml").description


def test_received_date_is_the_local_date_not_utc() -> None:
    # 23:30 in New York on 31 Mar is 04:30 UTC, 05:30 BST on 1 Apr in London.
    data = eml("""
From: a@example.org
Date: Tue, 31 Mar 2026 23:30:00 -0400
Subject: late

x
""")
    assert read_email(data, "a.eml").received_on == date(2026, 4, 1)
    # Gmail's 23:47 -0700 on 31 Oct is 1 Nov 06:47 GMT (see CLIENT_SHAPES).


# ---------------------------------------------------------------------------------------
# Hostile input


def test_missing_sender_and_date_are_listed_not_invented() -> None:
    data = eml("""
Subject: who am I

No headers to speak of.
""")
    draft = read_email(data, "anon.eml")
    assert draft.name == "" and draft.email == "" and draft.received_on is None
    assert draft.problems[:2] == (NO_SENDER, NO_DATE)
    assert "No headers to speak of." in draft.description


def test_unparseable_date_is_missing() -> None:
    data = eml("""
From: A <a@example.org>
Date: yesterday-ish
Subject: s

b
""")
    draft = read_email(data, "d.eml")
    assert draft.received_on is None
    assert draft.problems == (NO_DATE,)


def test_not_an_email_at_all() -> None:
    draft = read_email(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)), "pic.eml")
    assert NO_SENDER in draft.problems and NO_DATE in draft.problems
    assert "This file does not look like an email (no mail headers found)" in draft.problems
    with pytest.raises(DomainError, match="empty"):
        read_email(b"", "empty.eml")


def test_bad_charset_name_and_undecodable_bytes() -> None:
    bad_name = eml("""
From: =?x-klingon-99?Q?Worf?= <worf@example.org>
Date: Mon, 9 Nov 2026 10:00:00 +0000
Subject: =?x-klingon-99?B?////?=
Content-Type: text/plain; charset="x-klingon-99"

Plain ASCII survives.
""")
    draft = read_email(bad_name, "k.eml")
    assert draft.email == "worf@example.org"
    assert "Plain ASCII survives." in draft.description

    garbage = (
        b"From: Bad Bytes <bad@example.org>\r\nDate: Mon, 9 Nov 2026 10:00:00 +0000\r\n"
        b"Subject: \xff\xfe\xc3(\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n"
        b"Caf\xe9 \xff\xfe\x00 data \x1b[31m\r\n"
    )
    draft = read_email(garbage, "g.eml")
    assert draft.email == "bad@example.org"
    assert "data" in draft.description
    assert "\x00" not in draft.description and "\x1b" not in draft.description


def test_fifty_megabyte_body_is_capped_with_a_note() -> None:
    line = b"All work and no play makes a very long email indeed." + b"\r\n"
    data = (
        b"From: Big <big@example.org>\r\nDate: Mon, 9 Nov 2026 10:00:00 +0000\r\n"
        b"Subject: huge\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n"
        + line
        * (50 * 1024 * 1024 // len(line))
    )
    assert len(data) >= 49 * 1024 * 1024
    draft = read_email(data, "huge.eml")
    assert draft.email == "big@example.org"
    assert len(draft.description) <= MAX_DESCRIPTION + len(SHORTENED_NOTE) + 2
    assert draft.description.endswith(SHORTENED_NOTE)
    assert "The email is long; the description holds its beginning only" in draft.problems
    assert draft.original is data


def _nested(levels: int) -> bytes:
    body = b"Content-Type: text/plain\r\n\r\nthe innermost text\r\n"
    for i in range(levels):
        b = f"level{i}".encode()
        body = (
            b'Content-Type: multipart/mixed; boundary="'
            + b
            + b'"\r\n\r\n--'
            + b
            + b"\r\n"
            + body
            + b"\r\n--"
            + b
            + b"--\r\n"
        )
    return (
        b"From: N <n@example.org>\r\nDate: Mon, 9 Nov 2026 10:00:00 +0000\r\n"
        b"Subject: nested\r\nMIME-Version: 1.0\r\n" + body
    )


def test_nested_multiparts() -> None:
    assert "the innermost text" in read_email(_nested(20), "n.eml").description
    draft = read_email(_nested(5000), "deep.eml")
    assert draft.email == "n@example.org"
    # Deep nesting is cut by the parts limit (app.email_bounds) before the parser recurses.
    assert "This email has more than 500 parts; only the first 500 were read" in draft.problems


def test_attachment_named_to_escape_writes_nothing(
    store: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    data = eml("""
From: Evil <evil@example.org>
Date: Mon, 9 Nov 2026 10:00:00 +0000
Subject: here
MIME-Version: 1.0
Content-Type: multipart/mixed; boundary="b"

--b
Content-Type: text/plain

see attached
--b
Content-Type: application/octet-stream
Content-Disposition: attachment; filename="../../etc/passwd"

root:x:0:0
--b--
""")
    work = tmp_path / "cwd"
    work.mkdir()
    monkeypatch.chdir(work)
    draft = read_email(data, "../../etc/passwd.eml")
    assert list(work.iterdir()) == []
    assert draft.original_filename == "passwd.eml"
    # Kept with a case, the name stays a bare name inside the store.
    case = log_request(
        store,
        RequesterDetails("Evil", "evil@example.org"),
        request_type=RequestType.ACCESS,
        channel=Channel.EMAIL,
        on=date(2026, 11, 9),
        today=date(2026, 11, 25),
    )
    kept = add_attachment(
        store, case.id, filename="../../etc/passwd", content=b"root:x:0:0", kind="other"
    )
    assert kept.filename == "passwd"
    assert [a.filename for a in list_attachments(store, case.id)] == ["passwd"]
    assert attachment_content(store, kept.id) == b"root:x:0:0"
    if store.path is not None:  # a desk: nothing beside the store's own files
        assert sorted(p.name for p in store.path.parent.iterdir() if p.name != "backups") == sorted(
            p.name for p in store.path.parent.iterdir() if p.name.startswith("dsar.sqlite")
        )
    assert list(work.iterdir()) == []


def test_raw_eight_bit_headers_are_read() -> None:
    utf8 = (
        "From: Siobhán Kelly <siobhan@example.ie>\r\nDate: Mon, 9 Nov 2026 10:00:00 +0000\r\n"
        "Subject: Accès à mes données\r\n\r\nbody\r\n"
    ).encode()
    draft = read_email(utf8, "u.eml")
    assert draft.name == "Siobhán Kelly"
    assert "Subject: Accès à mes données" in draft.description
    latin1 = utf8.decode().encode("latin-1")
    draft = read_email(latin1, "l.eml")
    assert draft.name == "Siobhán Kelly"
    assert draft.email == "siobhan@example.ie"


def test_markup_in_the_sender_name_stays_data() -> None:
    data = eml("""
From: "<script>alert(1)</script><b>Bob</b> & Co" <bob@example.org>
Date: Mon, 9 Nov 2026 10:00:00 +0000
Subject: <i>hello</i>

<b>not html</b>
""")
    draft = read_email(data, "x.eml")
    assert draft.name == "<script>alert(1)</script><b>Bob</b> & Co"
    assert draft.email == "bob@example.org"
    assert "Subject: <i>hello</i>" in draft.description
    assert "<b>not html</b>" in draft.description


def test_header_folding_injection_does_not_smuggle_lines() -> None:
    data = eml("""
From: =?utf-8?Q?Eve=0D=0ABcc=3A_x=40example=2Eorg?= <eve@example.org>
Date: Mon, 9 Nov 2026 10:00:00 +0000
Subject: s

b
""")
    draft = read_email(data, "x.eml")
    assert "\n" not in draft.name and "\r" not in draft.name
    assert draft.email == "eve@example.org"


def test_broken_msg_file_gives_a_clear_message() -> None:
    with pytest.raises(DomainError, match="could not be read as an Outlook email"):
        read_email(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600, "broken.msg")
    with pytest.raises(DomainError, match="could not be read as an Outlook email"):
        read_email(b"just text, named .msg", "../x.msg")


# ---------------------------------------------------------------------------------------
# Real Outlook files


def _msg(name: str) -> bytes:
    path = MSG_DIR / name
    if not path.exists():
        pytest.skip(f"the shared Outlook samples are not here ({path})")
    return path.read_bytes()


def test_real_outlook_msg() -> None:
    data = _msg("unicode.msg")
    draft = read_email(data, "unicode.msg")
    assert draft.name == "Brian Zhou"
    assert draft.email == "brizhou@gmail.com"
    assert draft.received_on == date(2013, 11, 18)
    assert draft.description.startswith("Subject: Test for TIF files\n\n")
    assert "experiment with the MS Outlook MSG Extractor" in draft.description
    assert draft.problems == ()
    assert draft.original == data
    assert draft.original_mime_type == "application/vnd.ms-outlook"


def test_msg_bytes_naming_a_file_are_not_read_as_that_file() -> None:
    """A tiny ".msg" whose bytes are the path of another local file (here a real Outlook
    file) must be refused: olefile takes short `bytes` for a path, and extract-msg passed
    the email's bytes straight to it, so the other file's sender and text came out."""
    _msg("unicode.msg")  # skips when the shared samples are absent
    data = str(MSG_DIR / "unicode.msg").encode()
    assert len(data) < 1536  # below olefile's minimum size: the path case
    with pytest.raises(DomainError, match="could not be read as an Outlook email"):
        read_email(data, "hostile.msg")
    with pytest.raises(DomainError, match="could not be read as an Outlook email"):
        read_email(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + data, "hostile.msg")


def test_outlook_msg_without_sender_or_date_says_so() -> None:
    data = _msg("strangeDate.msg")
    draft = read_email(data, "strangeDate.msg")
    assert draft.name == "" and draft.email == "" and draft.received_on is None
    assert draft.problems == (NO_SENDER, NO_DATE)
    assert draft.description.startswith("Subject: MSG Test File\n\n")
