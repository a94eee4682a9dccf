"""The command line's help in Vietnamese: each English help text of dvcq/cli.py (the msgid, as gettext
would have it) with its Vietnamese, and the few words typer and click draw around them.

The English stays where typer reads it, beside each option in cli.py; `dvcq --help` in a `vi` run
(flag, DVCQ_LANG or the profile, as for --lang) shows these instead (cli.main). A help text missing
here shows in English, and tests/test_official.py fails until it is added.
"""
from __future__ import annotations

VI: dict[str, str] = {
    # the program, its groups and commands
    "Deadlines, data windows and overdue reports of Vietnamese 'dân vận chính quyền' plans.":
        "Hạn nộp, khoảng số liệu và báo cáo quá hạn của các kế hoạch công tác dân vận chính quyền.",
    "Every deadline of a plan for a year, with its data window and effective date; or what a unit owes.":
        "Mọi hạn nộp của một kế hoạch trong một năm, kèm khoảng số liệu và hạn thực tế; hoặc những gì một đơn vị phải nộp.",
    "The settings in effect and where each comes from (flag, environment, profile, default).":
        "Các thiết lập đang dùng và nguồn của từng thiết lập (tuỳ chọn, biến môi trường, tệp cấu hình, mặc định).",
    "The plans dvcq knows: id, issuer, document, years, number of rules.":
        "Các kế hoạch dvcq biết: mã, cơ quan ban hành, văn bản, năm, số quy định.",
    "How one deadline was derived: source sentence, rule, date as written, why it moved, window.":
        "Một hạn nộp được tính ra thế nào: câu gốc, quy tắc, ngày ghi trong văn bản, vì sao dời, khoảng số liệu.",
    "Lint plan YAML: one line per problem, file:line:col: level: message and code. Exit 1 on errors (and warnings with --strict).":
        "Kiểm tra tệp kế hoạch YAML: mỗi vấn đề một dòng, tệp:dòng:cột: mức: nội dung và mã. Mã thoát 1 khi có lỗi (và cảnh báo, với --strict).",
    "Record that a report was sent (--why corrects a record, --undo --why withdraws one, both kept in the history; --from imports a whole file).":
        "Ghi nhận một báo cáo đã gửi (--why sửa một bản ghi, --undo --why rút một bản ghi, đều giữ trong lịch sử; --from nhập cả một tệp).",
    "List recorded submissions, with how late each was.":
        "Liệt kê các báo cáo đã ghi nhận, kèm số ngày muộn của từng báo cáo.",
    "Who is late: every obligation's status. Exit 0 if nothing is overdue, 1 if something is, 2 on bad input.":
        "Ai chậm: tình trạng của từng nghĩa vụ báo cáo. Mã thoát 0 khi không có gì quá hạn, 1 khi có, 2 khi đầu vào sai.",
    "The year as a grid: deadlines, days off, Saturdays worked and today marked.":
        "Lịch cả năm: đánh dấu hạn nộp, ngày nghỉ, thứ Bảy làm bù và hôm nay.",
    "Per unit: reports owed, sent on time, late (total days), missing, on-time rate; worst first.":
        "Theo từng đơn vị: số báo cáo phải nộp, đúng hạn, muộn (tổng số ngày), chưa nộp, tỷ lệ đúng hạn; kém nhất trước.",
    "A công văn đôn đốc (Decree 30/2020 form) to the units whose reports are overdue.":
        "Công văn đôn đốc (theo thể thức Nghị định 30/2020) gửi các đơn vị có báo cáo quá hạn.",
    "Write a plan file from a plan document; review its TODOs, then `dvcq check` it.":
        "Viết tệp kế hoạch từ văn bản kế hoạch; rà soát các mục TODO, rồi chạy `dvcq check`.",
    "Every change to the ledger, oldest first: recorded, corrected, withdrawn; when, who, why, from where.":
        "Mọi thay đổi trong sổ theo dõi, cũ nhất trước: ghi nhận, sửa, rút; khi nào, ai, vì sao, từ đâu.",
    "Print the JSON Schema of a plan file (for editors and other tools).":
        "In JSON Schema của tệp kế hoạch (cho trình soạn thảo và các công cụ khác).",
    "Write plan files: `dvcq plan next ID --year Y` starts next year's plan from this one.":
        "Viết tệp kế hoạch: `dvcq plan next MÃ --year N` soạn kế hoạch năm sau từ kế hoạch này.",
    "Next year's plan from this one: same rules, dates moved to the new year, each marked for review.":
        "Kế hoạch năm sau từ kế hoạch này: giữ các quy định, dời ngày sang năm mới, mỗi quy định đánh dấu cần rà soát.",
    "The ledger itself: copy it between SQLite and PostgreSQL, check it.":
        "Chính sổ theo dõi: chép giữa SQLite và PostgreSQL, kiểm tra sổ.",
    "Copy every submission to another ledger, verified by row counts and checksums.":
        "Chép mọi bản ghi sang sổ khác, đối chiếu số dòng và tổng kiểm.",
    "Run the backend's integrity check on the ledger. Exit 1 when it finds a problem.":
        "Kiểm tra tính toàn vẹn của sổ theo dõi. Mã thoát 1 khi phát hiện vấn đề.",
    "The integrity check, and the history: each state derivable from its events, no event missing. Exit 1 on a problem.":
        "Kiểm tra toàn vẹn và lịch sử: mỗi trạng thái suy ra được từ các sự kiện, không thiếu sự kiện nào. Mã thoát 1 khi có vấn đề.",
    "The status board: a static site (no network) of who is late, what is due and the year per unit.":
        "Bảng theo dõi: một trang web tĩnh (không cần mạng) cho biết ai chậm, hạn nào sắp đến và cả năm của từng đơn vị.",
    "Give a login a role on the shared ledger (PostgreSQL); the server enforces it.":
        "Cấp vai trò cho một tài khoản trên sổ dùng chung (PostgreSQL); máy chủ bảo đảm thực hiện.",
    # options and arguments
    "Profile file (dvcq.toml); also DVCQ_CONFIG.": "Tệp cấu hình (dvcq.toml); hoặc DVCQ_CONFIG.",
    "Plan id, e.g. thai-nguyen (see `dvcq plans`); default: the profile's plan.":
        "Mã kế hoạch, ví dụ thai-nguyen (xem `dvcq plans`); mặc định: kế hoạch của tệp cấu hình.",
    "Year; default: this year in Vietnam.": "Năm; mặc định: năm nay (giờ Việt Nam).",
    "Only this report id (monthly, quarterly, ...).": "Chỉ báo cáo có mã này (monthly, quarterly, ...).",
    "Only rules whose sender contains this text.": "Chỉ các quy định có nơi gửi chứa chữ này.",
    "A unit: id, name or a unique part of it; default: the profile's.":
        "Một đơn vị: mã, tên hoặc một phần tên chỉ khớp một đơn vị; mặc định: đơn vị của tệp cấu hình.",
    "Only this month (1-12) of --year.": "Chỉ tháng này (1-12) của --year.",
    "Only deadlines on or after this date ('today' too); alone: the next 12 months.":
        "Chỉ các hạn từ ngày này trở đi (được ghi 'today'); không kèm --to: 12 tháng tới.",
    "Only deadlines on or before this date.": "Chỉ các hạn đến hết ngày này.",
    "What falls due in the next N days (from today, or --from).":
        "Các hạn trong N ngày tới (tính từ hôm nay, hoặc từ --from).",
    "Table: show each report's id beside its title.": "Bảng: ghi mã của báo cáo bên cạnh tên.",
    "table, json, csv or ics (iCalendar).": "table (bảng), json, csv hoặc ics (iCalendar).",
    "vi or en (default: DVCQ_LANG, the profile, else vi).":
        "vi hoặc en (mặc định: DVCQ_LANG, tệp cấu hình, nếu không thì vi).",
    "Last day on a day off: next (Civil Code art. 148), previous, keep.":
        "Hạn rơi vào ngày nghỉ: next (dời sang ngày làm việc tiếp theo, BLDS Điều 148), previous (về ngày làm việc trước), keep (giữ nguyên).",
    "CSV with a UTF-8 BOM, so Excel shows Vietnamese right.":
        "CSV có BOM UTF-8, để Excel hiển thị đúng tiếng Việt.",
    "Write to this file instead of standard output.": "Ghi ra tệp này thay vì ra màn hình.",
    "ics: reminders, days before (default 3,1; 'none').": "ics: nhắc trước bao nhiêu ngày (mặc định 3,1; 'none': không nhắc).",
    "Extra folder of plan YAML files (repeatable); also DVCQ_PLANS.":
        "Thư mục tệp kế hoạch YAML bổ sung (ghi được nhiều lần); hoặc DVCQ_PLANS.",
    "Extra days-off notices file (repeatable); also DVCQ_CALENDAR.":
        "Tệp thông báo ngày nghỉ bổ sung (ghi được nhiều lần); hoặc DVCQ_CALENDAR.",
    "--output may replace an existing file (never an input of the run).":
        "--output được ghi đè tệp đã có (không bao giờ ghi đè tệp đầu vào của lần chạy).",
    "table, json or csv.": "table (bảng), json hoặc csv.",
    "Report id (monthly, quarterly, ...).": "Mã báo cáo (monthly, quarterly, ...).",
    "2024-05, 2024-Q1, 2024-H1, 2024-9M or 2024.": "2024-05, 2024-Q1, 2024-H1, 2024-9M hoặc 2024.",
    "Plan files or folders; default: the plans dirs in use.":
        "Tệp hoặc thư mục kế hoạch; mặc định: các thư mục kế hoạch đang dùng.",
    "Warnings fail too.": "Cảnh báo cũng tính là không đạt.",
    "text, json or github (CI annotations).": "text, json hoặc github (chú thích cho CI).",
    "Date sent (2024-05-13 or 13/05/2024); default today in Vietnam.":
        "Ngày gửi (2024-05-13 hoặc 13/05/2024); mặc định: hôm nay (giờ Việt Nam).",
    "Free text: document number, who sent it ...": "Ghi chú tự do: số văn bản, người gửi ...",
    "Withdraw this submission (a mistaken record); needs --why.": "Rút bản ghi này (ghi nhầm); cần --why.",
    "Why it is corrected (with --on/--note) or withdrawn (with --undo); kept in the history.":
        "Lý do sửa (với --on/--note) hoặc rút (với --undo); lưu trong lịch sử.",
    "Import a submissions sheet or an incoming-documents register (.csv, .xlsx).":
        "Nhập bảng báo cáo đã gửi hoặc sổ văn bản đến (.csv, .xlsx).",
    "--from: show every match and skipped row; change nothing.":
        "--from: hiện từng dòng khớp và dòng bỏ qua; không ghi gì.",
    "Ledger file or postgresql:// URL; default DVCQ_DB, the profile, else the user data folder.":
        "Tệp sổ theo dõi hoặc địa chỉ postgresql://; mặc định: DVCQ_DB, tệp cấu hình, nếu không thì thư mục dữ liệu của người dùng.",
    "Only this plan.": "Chỉ kế hoạch này.",
    "Only this unit.": "Chỉ đơn vị này.",
    "Only this period.": "Chỉ kỳ này.",
    "The ledger as it stood on this date: sent by then, corrections and withdrawals made by then.":
        "Sổ theo dõi như tại ngày này: báo cáo đã gửi, các lần sửa và rút đã có đến ngày đó.",
    "Only these plans (repeatable); default: the profile's, else all.":
        "Chỉ các kế hoạch này (ghi được nhiều lần); mặc định: của tệp cấu hình, nếu không thì tất cả.",
    "Judge as of this date; default today in Vietnam.": "Xét tại ngày này; mặc định: hôm nay (giờ Việt Nam).",
    "Days ahead that count as due soon.": "Số ngày tới được coi là sắp đến hạn.",
    "Also list upcoming and submitted obligations.": "Liệt kê cả nghĩa vụ chưa đến hạn và đã gửi.",
    "Print nothing when nothing is overdue or due soon (for cron).":
        "Không in gì khi không có gì quá hạn hay sắp đến hạn (cho cron).",
    "Count what is due by this date; default today in Vietnam or the year's end.":
        "Tính các hạn đến ngày này; mặc định: hôm nay (giờ Việt Nam) hoặc cuối năm.",
    "table, json, csv or xlsx (a workbook: give --output).":
        "table (bảng), json, csv hoặc xlsx (sổ tính: cần --output).",
    "The .docx to write (with --each: one per unit, named after it).":
        "Tệp .docx sẽ ghi (với --each: mỗi đơn vị một tệp, đặt theo tên đơn vị).",
    "Late as of this date (the letter's date); default today in Vietnam.":
        "Quá hạn tính đến ngày này (ngày của công văn); mặc định: hôm nay (giờ Việt Nam).",
    "Send by this date; default 5 working days after the letter's.":
        "Hạn gửi lại chậm nhất ngày này; mặc định: 5 ngày làm việc sau ngày công văn.",
    "One letter per unit instead of one for all.": "Mỗi đơn vị một công văn thay vì một công văn chung.",
    "The plan document: .txt, .docx, or .pdf with a text layer.":
        "Văn bản kế hoạch: .txt, .docx, hoặc .pdf có lớp chữ.",
    "The plan id to give it (default: from the issuer).": "Mã đặt cho kế hoạch (mặc định: theo cơ quan ban hành).",
    "On stderr: each sentence with a deadline or a report, and what the draft made of it.":
        "In ra stderr: từng câu có hạn nộp hay báo cáo, và bản nháp đã hiểu câu đó thế nào.",
    "Plan id, e.g. thai-nguyen.": "Mã kế hoạch, ví dụ thai-nguyen.",
    "The new edition's year.": "Năm của kế hoạch mới.",
    "The ledger to copy: a file or a postgresql:// URL.": "Sổ cần chép: một tệp hoặc địa chỉ postgresql://.",
    "Where to: a file or a postgresql:// URL (empty, or made).":
        "Chép vào: một tệp hoặc địa chỉ postgresql:// (trống, hoặc sẽ được tạo).",
    "The folder to write the site into (index.html, a page per unit, its style and script).":
        "Thư mục ghi trang web (index.html, mỗi đơn vị một trang, kèm tệp định dạng và tệp lệnh).",
    "The state as of this date; default today in Vietnam.": "Tình hình tại ngày này; mặc định: hôm nay (giờ Việt Nam).",
    "Write into a folder that holds other files.": "Ghi vào thư mục đang có các tệp khác.",
    "A login on the PostgreSQL server.": "Một tài khoản trên máy chủ PostgreSQL.",
    "reader (reads), clerk (also records and corrects) or desk (also withdraws).":
        "reader (chỉ đọc), clerk (thêm ghi nhận và sửa) hoặc desk (thêm rút bản ghi).",
}

# what typer and click write around the help texts
FRAME_VI: dict[str, str] = {
    "Usage:": "Cách dùng:",
    "Options": "Tuỳ chọn",
    "Commands": "Lệnh",
    "Arguments": "Tham số",
    "Show this message and exit.": "Hiện hướng dẫn này rồi thoát.",
    "[default: {}]": "[mặc định: {}]",
    "[required]": "[bắt buộc]",
    "Error": "Lỗi",
    "[OPTIONS]": "[TUỲ CHỌN]",
    "COMMAND [ARGS]...": "LỆNH [THAM SỐ]...",
}


def help_text(lang: str, text: str) -> str:
    """A help text in the run's language: the Vietnamese where there is one."""
    from dvcq.core.messages import pick

    return pick(lang, VI.get(text.strip(), text), text)


def frame_text(lang: str, text: str) -> str:
    """One of the words typer and click draw around the help ("Usage:", "Options", ...)."""
    from dvcq.core.messages import pick

    return pick(lang, FRAME_VI.get(text, text), text)
