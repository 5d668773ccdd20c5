"""Vietnamese names, places and phrases the generated data is made of."""

FAMILY = [
    *["Nguyễn"] * 8, *["Trần"] * 3, *["Lê"] * 3, "Phạm", "Phạm", "Hoàng", "Vũ", "Đặng", "Bùi",
    "Đỗ", "Hồ", "Ngô", "Dương", "Lý", "Lò", "Lường", "Giàng", "Vàng", "Tòng", "Quàng", "Sùng",
    "Hà", "Nông", "Triệu", "Đinh", "Mai", "Phan", "Cầm", "Lù", "Thào",
]  # fmt: skip
GIVEN_F = [
    "Lan", "Hoa", "Mai", "Hương", "Hằng", "Thu", "Tư", "Xuân", "Hạnh", "Nga", "Dung", "Loan",
    "Phượng", "Yến", "Thảo", "Liên", "Cúc", "Đào", "Nhung", "Vân", "Sinh", "Pằng", "Súa", "Mỷ",
    "Chi", "Bình", "Tâm", "Hiền", "Oanh", "Quyên",
]  # fmt: skip
GIVEN_M = [
    "Hùng", "Dũng", "Minh", "Sơn", "Hải", "Thắng", "Tuấn", "Bình", "Cường", "Quang", "Phúc",
    "Lâm", "Chiến", "Thành", "Toàn", "Long", "Nam", "Khánh", "Sáng", "Pao", "Chứ", "Dìn", "Lả",
    "Tiến", "Vinh", "Đức", "Hòa", "Kiên", "Tài", "Lộc",
]  # fmt: skip
MIDDLE_F = ["Thị", "Thị", "Thị", "Thị Thu", "Thị Hồng", "Thị Ngọc", "Thị Kim"]
MIDDLE_M = ["Văn", "Văn", "Văn", "Đức", "Minh", "Quang", "Xuân", "A"]
VILLAGE = ["Bản", "Thôn", "Tổ dân phố", "Ấp", "Xóm"]
VILLAGE_NAMES = [
    "Nà Khum", "Cốc Lùng", "Pá Khôm", "Đông", "Đoài", "Trung", "Thượng", "Hạ", "Tân Lập",
    "Đồng Tâm", "Phú Mỹ", "Hòa Bình", "Thống Nhất", "Quyết Tiến", "Nậm Củm", "Sin Suối Hồ",
    "Hồng Thái", "Tiến Bộ", "An Phú", "Bình Minh", "Long Hưng", "Tân Hòa", "Mỹ Lợi",
]  # fmt: skip
PHONE_PREFIXES = [
    "32", "33", "34", "35", "36", "37", "38", "39", "86", "96", "97", "98", "91", "94", "88",
    "81", "82", "83", "84", "85", "70", "76", "77", "78", "79", "89", "90", "93",
]  # fmt: skip
ETHNIC_MIX = [
    *["Kinh"] * 60, *["Thái"] * 8, *["Mông"] * 7, *["Tày"] * 6, *["Dao"] * 4, *["Mường"] * 4,
    *["Nùng"] * 4, "Khơ-me", "Khơ-me", "Hà Nhì", "Lự", "Giáy", "Gia-rai", "Ê-đê", "Chăm",
    "Cống", "Si La", "La Hủ", "Khơ-mú", "Hoa",
]  # fmt: skip
LEAVE_REASONS = ["Chuyển nơi ở", "Sức khỏe yếu", "Đi làm ăn xa", "Qua đời", "Xin nghỉ"]
LOAN_PURPOSES = [
    ("Mua lợn giống", "2 con lợn giống"), ("Chăn nuôi gà", ""), ("Mua bò giống", "1 con bò"),
    ("Trồng chè", ""), ("Buôn bán nhỏ", ""), ("Trồng rau, cây ăn quả", ""),
    ("Nuôi cá", ""), ("Mua máy cày mini", ""), ("Trồng lúa, ngô", ""), ("Nuôi dê", "3 con dê"),
]  # fmt: skip
ACTIVITY_TITLES = [  # by the activity areas' order (livelihoods … resource mobilisation)
    ["Tập huấn chăn nuôi lợn", "Chia sẻ kỹ thuật trồng chè", "Thăm mô hình sinh kế"],
    ["Nói chuyện chuyên đề tăng huyết áp", "Khám sức khỏe định kỳ", "Tập dưỡng sinh"],
    ["Thăm hỏi người cao tuổi ốm", "Giúp việc nhà cho thành viên neo đơn"],
    ["Góp công sửa nhà cho thành viên", "Giúp thu hoạch mùa vụ"],
    ["Tuyên truyền chính sách bảo hiểm y tế", "Hướng dẫn thủ tục trợ cấp"],
    ["Sinh hoạt chuyên đề phòng chống lừa đảo", "Học sử dụng điện thoại thông minh"],
    ["Giao lưu văn nghệ", "Thi đấu bóng chuyền hơi", "Tham quan câu lạc bộ bạn"],
    ["Vận động quỹ hội", "Quyên góp ủng hộ đồng bào lũ lụt"],
]
CARE_SERVICES = ["housework", "personal_care", "health_check", "medicine", "company", "farm_work"]
CANCEL_REASONS = ["Mưa lũ, đường sạt lở", "Trùng lịch mùa vụ", "Trùng lịch họp thôn"]
RETURN_COMMENTS = ["Bổ sung số liệu khám sức khỏe", "Ghi rõ hoạt động trong tháng"]
