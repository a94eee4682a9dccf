"""The user profile (dvcq.toml): where it is found, what it may say, how it layers with flags and env."""
from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from dvcq.planfiles import profile as P
from dvcq.core.errors import DvcqError, PlanError
from dvcq.planfiles.profile import Profile, Setting, describe, effective, find_profile, load_profile

FULL = """\
# my profile
plans = ["thai-nguyen"]
plans_dirs = ["my-plans"]
db = "ledger.sqlite3"
calendars = ["notices-2027.yaml"]
lang = "en"
unit = "so-tai-chinh"
"""


def write(folder: Path, text: str, name: str = "dvcq.toml") -> Path:
    path = folder / name
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


def error(path: Path) -> PlanError:
    with pytest.raises(PlanError) as info:
        load_profile(path)
    message = str(info.value)
    assert "\n" not in message and "Traceback" not in message
    return info.value


@pytest.fixture
def config_dir(tmp_path, monkeypatch):
    """platformdirs' user config folder, moved into tmp_path (empty to begin with)."""
    import platformdirs

    folder = tmp_path / "config-home" / "dvcq"
    folder.mkdir(parents=True)
    monkeypatch.setattr(platformdirs, "user_config_dir", lambda *a, **k: str(folder))
    return folder


# -- start-up budget -------------------------------------------------------------------------------
def test_importing_the_module_imports_no_toml_parser_and_no_platformdirs():
    code = ("import sys, dvcq.planfiles.profile; "
            "print(sorted(m for m in ('tomllib', 'tomli', 'platformdirs') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "[]"


def test_plan_id_pattern_is_the_plan_format_one():
    from dvcq.planfiles.planformat import ID_PATTERN

    assert f"^{P.PLAN_ID.pattern}$" == ID_PATTERN


# -- finding it ------------------------------------------------------------------------------------
def test_the_flag_wins_over_the_environment_and_the_working_directory(tmp_path, config_dir):
    flag = write(tmp_path, "", "flag.toml")
    env = write(tmp_path, "", "env.toml")
    write(tmp_path, "")
    write(config_dir, "")
    assert find_profile(flag, {"DVCQ_CONFIG": str(env)}, tmp_path) == flag


def test_the_environment_wins_over_the_working_directory(tmp_path, config_dir):
    env = write(tmp_path, "", "env.toml")
    write(tmp_path, "")
    assert find_profile(None, {"DVCQ_CONFIG": str(env)}, tmp_path) == env


def test_the_working_directory_wins_over_the_user_config_folder(tmp_path, config_dir):
    here = write(tmp_path, "")
    write(config_dir, "")
    assert find_profile(None, {}, tmp_path) == here


def test_the_user_config_folder_is_the_last_place_looked(tmp_path, config_dir):
    mine = write(config_dir, "")
    assert find_profile(None, {}, tmp_path) == mine
    assert P.user_profile_path() == config_dir / "dvcq.toml"


def test_relative_names_are_taken_from_the_working_directory(tmp_path, config_dir):
    (tmp_path / "sub").mkdir()
    write(tmp_path / "sub", "", "p.toml")
    assert find_profile(Path("sub/p.toml"), {}, tmp_path) == tmp_path / "sub" / "p.toml"
    assert find_profile(None, {"DVCQ_CONFIG": "sub/p.toml"}, tmp_path) == tmp_path / "sub" / "p.toml"


@pytest.mark.parametrize("how", ["flag", "env"])
def test_an_explicit_profile_that_does_not_exist_is_an_error_naming_it(tmp_path, config_dir, how):
    write(tmp_path, "")  # an implicit one exists, but the named one wins and is missing
    missing = tmp_path / "nope.toml"
    with pytest.raises(DvcqError) as info:
        if how == "flag":
            find_profile(missing, {}, tmp_path)
        else:
            find_profile(None, {"DVCQ_CONFIG": str(missing)}, tmp_path)
    assert str(missing) in str(info.value)
    assert ("--config" if how == "flag" else "DVCQ_CONFIG") in str(info.value)


def test_no_profile_anywhere_is_no_profile(tmp_path, config_dir):
    assert find_profile(None, {"DVCQ_CONFIG": ""}, tmp_path) is None
    assert load_profile(None) == Profile(path=None)


# -- reading it ------------------------------------------------------------------------------------
def test_a_full_profile_with_paths_relative_to_its_folder(tmp_path, monkeypatch):
    cwd = tmp_path / "elsewhere"
    cwd.mkdir()
    monkeypatch.chdir(cwd)  # relative to the profile, not to where dvcq runs
    folder = tmp_path / "home"
    folder.mkdir()
    got = load_profile(write(folder, FULL))
    assert got == Profile(path=folder / "dvcq.toml", plans=("thai-nguyen",), plans_dirs=(folder / "my-plans",),
                          db=str(folder / "ledger.sqlite3"), calendars=(folder / "notices-2027.yaml",),
                          lang="en", unit="so-tai-chinh")
    assert dict(got.lines) == {"plans": 2, "plans_dirs": 3, "db": 4, "calendars": 5, "lang": 6, "unit": 7}


def test_an_empty_profile_says_nothing(tmp_path):
    path = write(tmp_path, "# nothing yet\n")
    assert load_profile(path) == Profile(path=path)


def test_home_is_expanded_and_absolute_paths_kept(tmp_path, monkeypatch):
    home = tmp_path / "home"
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("USERPROFILE", str(home))
    absolute = tmp_path / "abs" / "plans"
    got = load_profile(write(tmp_path, f"""\
        plans_dirs = ["~/plans", '{absolute}']
        db = "~/ledger.sqlite3"
        """))
    assert got.plans_dirs == (home / "plans", absolute)
    assert got.db == str(home / "ledger.sqlite3")


@pytest.mark.parametrize("url", ["postgresql://dvcq@db.internal/dvcq", "postgres://u:p@localhost:5432/x?sslmode=require"])
def test_a_postgres_url_is_kept_verbatim(tmp_path, url):
    assert load_profile(write(tmp_path, f'db = "{url}"\n')).db == url


def test_a_bom_and_windows_line_ends_are_fine(tmp_path):
    path = tmp_path / "dvcq.toml"
    path.write_bytes(b"\xef\xbb\xbf" + b'lang = "en"\r\nunit = "so-noi-vu"\r\n')
    got = load_profile(path)
    assert (got.lang, got.unit, dict(got.lines)) == ("en", "so-noi-vu", {"lang": 1, "unit": 2})


def test_duplicate_plans_and_folders_are_kept_once(tmp_path):
    got = load_profile(write(tmp_path, 'plans = ["a", "b", "a"]\nplans_dirs = ["x", "./x/../x", "x"]\n'))
    assert got.plans == ("a", "b")
    assert got.plans_dirs[0] == tmp_path / "x"


# -- unknown keys ----------------------------------------------------------------------------------
def test_an_unknown_key_is_named_with_its_line_and_a_suggestion(tmp_path):
    path = write(tmp_path, 'lang = "vi"\n\n# the plans I follow\n\nplan = ["thai-nguyen"]\n')
    assert str(error(path)) == (f"{path}:5:1: error: unknown key 'plan' in profile; did you mean 'plans'? "
                                "[unknown-key]")


def test_an_unknown_key_without_a_near_one_lists_the_keys(tmp_path):
    e = error(write(tmp_path, 'colour = "blue"\n'))
    assert "unknown key 'colour'" in str(e) and "plans, plans_dirs, db, calendars, lang, unit" in str(e)


def test_a_table_is_an_unknown_key_at_its_header(tmp_path):
    path = write(tmp_path, 'lang = "vi"\n\n[ledger]\npath = "x"\n')
    e = error(path)
    assert (e.problems[0].line, e.problems[0].col, e.problems[0].code) == (3, 1, "unknown-key")
    assert "'ledger'" in str(e)


def test_key_lines_are_found_past_multiline_strings_and_arrays(tmp_path):
    path = write(tmp_path, '''\
        unit = """
        plan = "not a key, inside a string"
        """
        plans_dirs = [
          "a",  # plan = comment
          "b",
        ]
        "calendar" = []
        ''')
    e = error(path)
    assert [(p.line, p.message) for p in e.problems] == [
        (8, "unknown key 'calendar' in profile; did you mean 'calendars'?")]


def test_every_problem_is_kept_the_first_is_the_message(tmp_path):
    e = error(write(tmp_path, 'plan = []\nlang = "fr"\nunits = "x"\n'))
    assert [(p.line, p.code) for p in e.problems] == [(1, "unknown-key"), (2, "bad-value"), (3, "unknown-key")]
    assert str(e) == str(e.problems[0])


# -- wrong types and bad values --------------------------------------------------------------------
@pytest.mark.parametrize("key, value, code, words", [
    ("plans", '"thai-nguyen"', "wrong-type", "'plans' must be a list of plan ids"),
    ("plans", "[1]", "wrong-type", "'plans' item 1 must be a string"),
    ("plans", '["Thái Nguyên"]', "bad-value", "is not a plan id"),
    ("plans", '["thai_nguyen"]', "bad-value", "is not a plan id"),
    ("plans_dirs", '"my-plans"', "wrong-type", "'plans_dirs' must be a list of folders"),
    ("plans_dirs", '["a", true]', "wrong-type", "'plans_dirs' item 2 must be a string"),
    ("plans_dirs", '[""]', "bad-value", "'plans_dirs' item 1 is empty"),
    ("calendars", "{a = 1}", "wrong-type", "'calendars' must be a list of files"),
    ("calendars", "[2027-01-01]", "wrong-type", "'calendars' item 1 must be a string"),
    ("db", "1", "wrong-type", "'db' must be a file path or a postgresql:// URL"),
    ("db", '["a"]', "wrong-type", "got a list"),
    ("db", '" "', "bad-value", "'db' is empty"),
    ("db", '"mysql://u@h/x"', "bad-value", "mysql:// is not supported"),
    ("lang", "1", "wrong-type", "'lang' must be \"vi\" or \"en\"; got a whole number"),
    ("lang", '"fr"', "bad-value", "'lang' must be vi or en; got 'fr'"),
    ("lang", '"VI"', "bad-value", "'lang' must be vi or en"),
    ("unit", "false", "wrong-type", "'unit' must be a unit id in quotes"),
    ("unit", '""', "bad-value", "'unit' is empty"),
])
def test_a_bad_value_names_its_key_and_line(tmp_path, key, value, code, words):
    path = write(tmp_path, f'# line 1\nlang = "vi"\n\n  {key} = {value}\n' if key != "lang"
                 else f"# line 1\nunit = \"x\"\n\n  {key} = {value}\n")
    e = error(path)
    assert len(e.problems) == 1
    p = e.problems[0]
    assert (p.file, p.line, p.col, p.code) == (str(path), 4, 3, code)
    assert words in p.message
    assert str(e).startswith(f"{path}:4:3: error: ") and str(e).endswith(f"[{code}]")


def test_a_dotted_key_is_a_table_under_that_key(tmp_path):
    e = error(write(tmp_path, 'unit = "x"\nlang.default = "vi"\n'))
    assert (e.problems[0].line, e.problems[0].code) == (2, "wrong-type")
    assert "'lang'" in e.problems[0].message and "table" in e.problems[0].message


# -- syntax and encoding ---------------------------------------------------------------------------
def test_a_toml_syntax_error_is_located_where_the_parser_says(tmp_path):
    path = write(tmp_path, 'lang = "vi"\nunit = so-tai-chinh\n')
    e = error(path)
    assert str(e) == f"{path}:2:8: error: invalid value (TOML) [toml-syntax]"


def test_a_syntax_error_at_the_end_points_at_the_last_line(tmp_path):
    path = write(tmp_path, 'lang = "vi"\nunit = "x\n')
    e = error(path)
    p = e.problems[0]
    assert (p.line, p.code) == (2, "toml-syntax") and "(TOML)" in p.message


def test_a_duplicate_key_is_a_syntax_error_at_the_second_one(tmp_path):
    e = error(write(tmp_path, 'lang = "vi"\nunit = "a"\nlang = "en"\n'))
    assert (e.problems[0].line, e.problems[0].code) == (3, "toml-syntax")


def test_text_that_is_not_utf8_is_located(tmp_path):
    path = tmp_path / "dvcq.toml"
    path.write_bytes('lang = "vi"\nunit = "Tài chính"\n'.encode("latin-1"))  # an old Windows editor
    e = error(path)
    assert (e.problems[0].line, e.problems[0].col, e.problems[0].code) == (2, 10, "encoding")


# -- bounded reading -------------------------------------------------------------------------------
@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs here")
def test_a_fifo_is_refused_at_once_not_waited_on(tmp_path):
    fifo = tmp_path / "dvcq.toml"
    os.mkfifo(fifo)
    assert find_profile(fifo, {}, tmp_path) == fifo
    code = ("import sys; from pathlib import Path; from dvcq.planfiles.profile import load_profile\n"
            "try: load_profile(Path(sys.argv[1]))\n"
            "except Exception as e: print(type(e).__name__, e)\n")
    # no writer ever opens the FIFO: a blocking open or read would hang until the timeout kills it
    out = subprocess.run([sys.executable, "-c", code, str(fifo)], capture_output=True, text=True, timeout=20)
    assert out.stdout.strip() == f"DvcqError {fifo}: the profile is a FIFO, not a regular file", out.stderr


@pytest.mark.skipif(not Path("/dev/zero").exists(), reason="no /dev/zero here")
def test_dev_zero_is_refused():
    with pytest.raises(DvcqError, match=r"^/dev/zero: the profile is a device, not a regular file$"):
        load_profile(Path("/dev/zero"))


def test_a_folder_is_refused(tmp_path):
    with pytest.raises(DvcqError, match="folder") as info:
        load_profile(tmp_path)
    assert str(tmp_path) in str(info.value) and "\n" not in str(info.value)


def test_at_most_64_kb_are_read(tmp_path):
    fits = tmp_path / "fits.toml"
    fits.write_bytes(b'lang = "en"\n' + b"#" * (P.LIMIT - 13) + b"\n")
    assert fits.stat().st_size == P.LIMIT and load_profile(fits).lang == "en"
    big = tmp_path / "big.toml"
    big.write_bytes(fits.read_bytes() + b"\n")
    with pytest.raises(DvcqError, match=r"larger than 64 kB"):
        load_profile(big)


@pytest.mark.skipif(not Path("/proc/self/status").is_file(), reason="no procfs here")
def test_the_bound_does_not_trust_the_size_stat_gives(monkeypatch):
    status = Path("/proc/self/status")  # a regular file whose stat size is 0
    assert status.stat().st_size == 0
    monkeypatch.setattr(P, "LIMIT", 64)
    with pytest.raises(DvcqError, match="larger than"):
        load_profile(status)


def test_a_missing_file_given_directly_is_one_line(tmp_path):
    with pytest.raises(DvcqError, match=r"nope\.toml: cannot read the profile"):
        load_profile(tmp_path / "nope.toml")


# -- effective settings: flag > environment > profile > default ------------------------------------
@pytest.fixture
def mine(tmp_path) -> Profile:
    return load_profile(write(tmp_path, FULL))


def test_everything_from_the_profile_names_the_file_and_line(mine):
    got = effective({}, {}, mine)
    at = f"profile {mine.path}"
    assert got == {
        "plans": Setting("plans", ("thai-nguyen",), f"{at}:2"),
        "plans_dirs": Setting("plans_dirs", (mine.path.parent / "my-plans",), f"{at}:3"),
        "db": Setting("db", str(mine.path.parent / "ledger.sqlite3"), f"{at}:4"),
        "calendars": Setting("calendars", (mine.path.parent / "notices-2027.yaml",), f"{at}:5"),
        "lang": Setting("lang", "en", f"{at}:6"),
        "unit": Setting("unit", "so-tai-chinh", f"{at}:7"),
    }


def test_nothing_anywhere_is_the_defaults(monkeypatch):
    got = effective({"plans": None, "plans_dirs": [], "db": None, "calendars": (), "lang": None, "unit": None},
                    {}, Profile(path=None))
    assert {n: s.source for n, s in got.items()} == dict.fromkeys(P.KEYS, "default")
    assert {n: s.value for n, s in got.items() if n != "db"} == {
        "plans": (), "plans_dirs": (), "calendars": (), "lang": "vi", "unit": None}


def test_the_default_ledger_is_the_one_the_ledger_module_opens(monkeypatch):
    from dvcq.ledger import default_path

    monkeypatch.delenv("DVCQ_DB", raising=False)
    assert effective({}, {}, Profile(path=None))["db"].value == P.default_db() == str(default_path())


# one row per layer; each row gives that layer and every one below it, so the layer named must win
PRECEDENCE = {
    "db": ("/flag/ledger.sqlite3", "/env/ledger.sqlite3"),
    "lang": ("vi", "en"),
    "unit": ("so-flag", "so-env"),
}


@pytest.mark.parametrize("name", ["db", "lang", "unit"])
@pytest.mark.parametrize("top", ["flag", "env", "profile", "default"])
def test_precedence_of_single_settings(tmp_path, name, top):
    flag, env_value = PRECEDENCE[name]
    var = {"db": "DVCQ_DB", "lang": "DVCQ_LANG", "unit": "DVCQ_UNIT"}[name]
    layers = ["flag", "env", "profile", "default"][["flag", "env", "profile", "default"].index(top):]
    flags = {name: flag} if "flag" in layers else {}
    env = {var: env_value} if "env" in layers else {}
    prof = load_profile(write(tmp_path, FULL)) if "profile" in layers else Profile(path=None)
    got = effective(flags, env, prof)[name]
    expected = {
        "flag": (flag, f"--{name}"),
        "env": (env_value, var),
        "profile": ({"db": str(tmp_path / "ledger.sqlite3"), "lang": "en", "unit": "so-tai-chinh"}[name],
                    f"profile {tmp_path / 'dvcq.toml'}:{ {'db': 4, 'lang': 6, 'unit': 7}[name] }"),
        "default": ({"db": P.default_db(), "lang": "vi", "unit": None}[name], "default"),
    }[top]
    assert (got.value, got.source) == expected


@pytest.mark.parametrize("top", ["flag", "profile", "default"])
def test_precedence_of_plans_which_has_no_environment_variable(tmp_path, top):
    flags = {"plans": "tay-ninh"} if top == "flag" else {}
    prof = load_profile(write(tmp_path, FULL)) if top != "default" else Profile(path=None)
    got = effective(flags, {"DVCQ_PLANS": str(tmp_path)}, prof)["plans"]  # DVCQ_PLANS is folders
    assert (got.value, got.source) == {
        "flag": (("tay-ninh",), "--plan"),
        "profile": (("thai-nguyen",), f"profile {tmp_path / 'dvcq.toml'}:2"),
        "default": ((), "default"),
    }[top]


def test_plans_from_a_flag_replace_the_profiles(mine):
    assert effective({"plans": ["ha-giang", "tay-ninh"]}, {}, mine)["plans"].value == ("ha-giang", "tay-ninh")


@pytest.mark.parametrize("name, var, flag", [("plans_dirs", "DVCQ_PLANS", "--plans-dir"),
                                             ("calendars", "DVCQ_CALENDAR", "--calendar")])
def test_folders_and_notices_add_up_env_then_profile_then_flags_each_once(mine, tmp_path, name, var, flag):
    from_profile = getattr(mine, name)[0]
    e1, e2, f1 = tmp_path / "e1", tmp_path / "e2", tmp_path / "f1"
    env = {var: os.pathsep.join([str(e1), f" {e2} ", ""])}
    got = effective({name: [f1, e1, from_profile]}, env, mine)[name]
    assert got.value == (e1, e2, from_profile, f1)
    assert got.source == f"{var} + profile {mine.path}:{mine.lines[name]} + {flag}"
    assert effective({name: [f1]}, {}, Profile(path=None))[name] == Setting(name, (f1,), flag)
    assert effective({}, env, Profile(path=None))[name] == Setting(name, (e1, e2), var)


def test_none_empty_lists_and_empty_variables_are_not_given(mine):
    flags = {"plans": [], "plans_dirs": None, "db": None, "calendars": [], "lang": None, "unit": None}
    env = {"DVCQ_PLANS": "", "DVCQ_DB": "", "DVCQ_CALENDAR": " ", "DVCQ_LANG": "", "DVCQ_UNIT": ""}
    assert effective(flags, env, mine) == effective({}, {}, mine)
    assert all(s.source.startswith("profile ") for s in effective(flags, env, mine).values())


def test_a_db_url_from_the_environment_is_kept_and_a_path_expanded(monkeypatch, tmp_path):
    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.setenv("USERPROFILE", str(tmp_path))
    url = "postgresql://dvcq:secret@db/dvcq"
    assert effective({}, {"DVCQ_DB": url}, Profile(None))["db"].value == url
    assert effective({"db": Path("~/l.sqlite3")}, {}, Profile(None))["db"].value == str(tmp_path / "l.sqlite3")


@pytest.mark.parametrize("flags, env, where", [({"lang": "fr"}, {}, "--lang"), ({}, {"DVCQ_LANG": "EN"}, "DVCQ_LANG")])
def test_a_bad_language_names_where_it_came_from(flags, env, where):
    with pytest.raises(DvcqError, match=f"^{where}: '(fr|EN)' is not one of vi, en$"):
        effective(flags, env, Profile(None))


def test_a_misspelt_flag_name_is_a_programming_error():
    with pytest.raises(ValueError, match="plans_dir"):
        effective({"plans_dir": ["x"]}, {}, Profile(None))


# -- describe --------------------------------------------------------------------------------------
def test_describe_the_documented_line():
    settings = {"db": Setting("db", "/home/x/ledger.sqlite3", "profile /home/x/dvcq.toml:3")}
    assert describe(settings, "en") == ["db = /home/x/ledger.sqlite3   (profile /home/x/dvcq.toml:3)"]
    assert describe(settings, "vi") == ["db = /home/x/ledger.sqlite3   (tệp cấu hình /home/x/dvcq.toml:3)"]


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_describe_lists_every_setting_in_order(mine, lang):
    for settings in (effective({}, {}, mine), effective({}, {}, Profile(None)),
                     effective({"plans_dirs": ["x"]}, {"DVCQ_PLANS": "y"}, mine)):
        lines = describe(settings, lang)
        assert [line.split(" = ")[0] for line in lines] == list(P.KEYS)
        assert all(line.endswith(")") and "   (" in line for line in lines)


def test_describe_in_each_language(mine):
    defaults = effective({}, {}, Profile(None))
    assert describe(defaults, "en")[0] == "plans = (all plans)   (default)"
    assert describe(defaults, "vi")[0] == "plans = (mọi kế hoạch)   (mặc định)"
    assert describe(defaults, "en")[-1] == "unit = (not set)   (default)"
    assert describe(defaults, "vi")[-1] == "unit = (chưa đặt)   (mặc định)"
    both = effective({"calendars": ["x.yaml"]}, {}, mine)
    assert describe(both, "vi")[3] == (f"calendars = {mine.path.parent / 'notices-2027.yaml'}, x.yaml   "
                                       f"(tệp cấu hình {mine.path}:5 + --calendar)")
    assert describe(defaults, "xx") == describe(defaults, "vi")


def test_describe_keeps_a_database_password_off_the_screen():
    settings = effective({}, {"DVCQ_DB": "postgresql://dvcq:s3cret@db.internal:5432/dvcq"}, Profile(None))
    line = describe(settings, "en")[2]
    assert line == "db = postgresql://dvcq:***@db.internal:5432/dvcq   (DVCQ_DB)"
    assert settings["db"].value == "postgresql://dvcq:s3cret@db.internal:5432/dvcq"
