"""The words plans use and the words dvcq writes: data only (the frequencies' own words come from dvcq.core.model.FREQUENCY)."""
from __future__ import annotations

from dvcq.core.model import FIRST_YEAR, FREQUENCY, LAST_YEAR

# ================================================================================================
# Vocabulary. Data only: the words plans use, and the words we write. Entries are matched word by
# word with accents and case ignored; where one entry begins another, the longer comes first.
# ================================================================================================

# Months in one period (dvcq.core.model's table). A one-off rule is tied to the plan's year, as in the
# engine; a report on request has no period of its own, so it is read the same way.
MONTHS_PER_PERIOD = {name: f.months for name, f in FREQUENCY.items()}

# The period word that fits each frequency.
PERIOD_UNIT = {name: f.unit for name, f in FREQUENCY.items()}

# Names of a period and the unit each names; "kỳ (báo cáo)" is whatever period the rule has. The
# frequencies' own words come from their table; where one name begins another, the longer comes first.
PERIOD_NAMES = (
    ("kỳ báo cáo", "any"), ("kì báo cáo", "any"), ("kỳ", "any"), ("kì", "any"),
    *sorted(((w, f.unit) for f in FREQUENCY.values() for w in f.period_names if f.name == f.unit),
            key=lambda pair: -len(pair[0].split())),
)

# Frequency words: a prefix and a unit ("hằng quý", "định kỳ hằng tháng"). Dropped by the parsers.
FREQUENCY_PREFIXES = ("định kỳ hằng", "định kỳ hàng", "hằng", "hàng", "mỗi")
FREQUENCY_UNITS = tuple(sorted(((w, f.name) for f in FREQUENCY.values() for w in f.unit_words),
                               key=lambda pair: -len(pair[0].split())))
# Said without a prefix, only these name a frequency ("báo cáo 6 tháng").
BARE_FREQUENCIES = tuple((w, f.name) for f in FREQUENCY.values() if f.bare for w in f.unit_words)

# Words that open an inclusive deadline ("by").
BY_WORDS = ("chậm nhất", "muộn nhất", "không muộn hơn", "không chậm hơn", "trong thời hạn",
            "trong vòng", "hạn cuối", "hạn chót", "đến hết", "tới hết", "trong")
BY_FILLERS = ("là", "vào")
# "gửi vào ngày 25": on that day, so by it (inclusive). Only a deadline after a word of sending:
# "số liệu chốt vào ngày 20" is a cut-off, not a deadline.
ON_WORDS = ("vào",)
ON_AFTER = ("gửi", "nộp")
BEFORE_WORDS = ("trước",)

# A list bullet in front of a line copied from the plan ("- Báo cáo quý: ...").
BULLETS = ("-", "+", "•", "·")
# Context the caller may leave in front of a deadline: "thời hạn gửi báo cáo quý", "Gửi".
DUE_LEADS = ("thời hạn", "thời gian")
SENDING_WORDS = ("gửi", "nộp")
REPORT_WORDS = ("báo cáo",)
# A label before ":" names a report or a heading ("Báo cáo quý:", "Thời hạn gửi báo cáo:") if it
# starts with one of these; the whole label is skipped.
LABEL_HEADS = ("báo cáo", "thời hạn", "thời gian", "hạn", "gửi", "nộp", "số liệu", "mốc", "chốt")
# Words in front of a window: "mốc số liệu thống kê tính từ", "thời gian lấy số liệu từ".
WINDOW_LEADS = ("số liệu", "mốc", "thống kê", "thời gian", "lấy", "tính", "chốt", "báo cáo")

DAY_WORDS = ("ngày",)
MONTH_WORDS = ("tháng",)
YEAR_WORDS = ("năm",)
OF_WORDS = ("của",)
LAST_WORDS = ("cuối cùng", "cuối")  # "ngày cuối (cùng) của tháng", "tháng cuối quý"
FIRST_WORDS = ("đầu tiên", "đầu")
ORDINAL_WORDS = ("thứ",)
NEXT_WORDS = ("liền kề sau", "liền sau", "kế tiếp", "tiếp theo", "liền kề", "sau")
PREV_WORDS = ("liền kề trước", "liền trước", "trước")
THIS_MONTH_WORDS = ("báo cáo", "này")
THIS_YEAR_WORDS = ("báo cáo", "này", "nay", "hiện hành")
THE_REPORT_YEAR = ("năm báo cáo", "năm nay", "năm này")  # "năm sau năm báo cáo"

# A count of days and the day it counts from.
WORKING_WORDS = ("làm việc",)
SINCE_WORDS = ("kể từ", "tính từ", "từ", "sau")
EVENT_FILLERS = ("ngày", "khi")
WINDOW_END_EVENTS = ("chốt số liệu", "kết thúc thời gian lấy số liệu", "kết thúc kỳ lấy số liệu")
PERIOD_END_EVENTS = ("kết thúc", "hết")

NO_WINDOW = ("none", "không có số liệu", "không có", "không")
# One day per period in one deadline: "chậm nhất ngày 20 tháng 6 và ngày 20 tháng 12" (a 6-month rule)
AND_WORDS = ("và",)
# "số liệu tính trọn tháng báo cáo", "số liệu cả quý": the whole period, its first day to its last
WHOLE_WORDS = ("trọn vẹn", "trọn", "toàn bộ", "cả")
# Where a text names the data cut-off: "số liệu chốt vào ngày 20 hằng tháng", "chốt số liệu đến hết ngày 25"
CUTOFF_WORDS = ("chốt số liệu", "chốt")
CUTOFF_FILLERS = ("vào", "đến hết", "tới hết", "đến", "tới", "tại", "là")
WINDOW_FROM = ("kể từ", "tính từ", "từ")
WINDOW_TO = ("cho đến hết", "cho đến", "đến hết", "tới hết", "đến", "tới", "-")
TO_THE_DUE_DAY = ("ngày gửi báo cáo", "ngày báo cáo", "ngày gửi", "thời điểm gửi báo cáo",
                  "thời điểm báo cáo", "hạn gửi báo cáo", "hạn báo cáo")
TRAILING = (".", ";", ",")

# Numbers in words, as written in brackets after digits: "06 (sáu)", "45 (bốn mươi lăm)".
DIGIT_WORDS = {"không": 0, "một": 1, "mốt": 1, "hai": 2, "ba": 3, "bốn": 4, "tư": 4, "năm": 5,
               "lăm": 5, "nhăm": 5, "sáu": 6, "bảy": 7, "bẩy": 7, "tám": 8, "chín": 9}
TEN_WORDS = ("mười", "mươi")  # the same letters: 10 first, "times ten" after a digit
HUNDRED_WORDS = ("trăm",)
NO_TENS_WORDS = ("linh", "lẻ")  # "một trăm linh năm": 105
ORDINAL_ONLY = {"nhất": 1}  # "tháng thứ nhất"
MONTH_NAMES = {"giêng": 1}  # "tháng giêng"

# Words whose letters are the same once accents go; an accented spelling names one reading only.
ACCENT_RIVALS = (("sau", "sáu"), ("từ", "tư"))

# What we write.
RENDER_KIND = {"before": "trước", "by": "chậm nhất"}
RENDER_COUNT_BY = "trong thời hạn"
RENDER_PERIOD = {name: f.period_word for name, f in FREQUENCY.items() if f.period_word}
RENDER_PERIOD_END = {name: f.period_end_word for name, f in FREQUENCY.items()}
RENDER_YEAR_OFFSET = {-1: " năm trước", 0: "", 1: " năm sau"}
RENDER_ANCHOR = {"window-end": "ngày chốt số liệu", "period-end": "ngày kết thúc {period}"}
RENDER_NO_WINDOW = "không có số liệu"


YEARS = (FIRST_YEAR, LAST_YEAR)
MAX_COUNT = 999  # the most days a count may say, and the most number words read
