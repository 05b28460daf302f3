from unspin.sanitize import json_safe, terminal


def test_escape_sequences_are_shown_not_obeyed():
    assert terminal("a\x1b[2Jb") == "a\\x1b[2Jb"
    assert terminal("x\x9b31m") == "x\\x9b31m"
    assert terminal("evil\u202etxt.exe") == "evil\\u202etxt.exe"


def test_newlines_escaped_on_one_line_fields_and_kept_in_blocks():
    assert terminal("id\nsecond") == "id\\x0asecond"
    assert terminal("line one\n\tline two\r", multiline=True) == "line one\n\tline two\\x0d"


def test_ordinary_text_untouched():
    text = "Café – “quoted” naïve 東京 ½"
    assert terminal(text) == text


def test_json_safe_escapes_c1_and_bidi():
    import json

    raw = json.dumps({"t": "a\x9bb\u202ec\x1b"}, ensure_ascii=False)
    safe = json_safe(raw)
    assert json.loads(safe) == {"t": "a\x9bb\u202ec\x1b"}
    assert "\x9b" not in safe and "\u202e" not in safe and "\x1b" not in safe
