from canlian.common.text import pinyin_initials


def test_chinese_name_gives_its_pinyin_initials():
    assert pinyin_initials("张三丰") == "zsf"


def test_mongolian_name_in_chinese_characters_gives_initials():
    assert pinyin_initials("巴特尔") == "bte"


def test_latin_letters_are_kept_lowercase():
    assert pinyin_initials("Anna李") == "al"


def test_middle_dot_and_spaces_are_skipped():
    assert pinyin_initials("阿依·古丽") == "aygl"
    assert pinyin_initials("") == ""
