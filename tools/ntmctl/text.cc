#include "tools/ntmctl/text.h"

#include <cmath>
#include <cstdint>
#include <string>

#include "absl/strings/str_format.h"
#include "absl/strings/string_view.h"

namespace ntm::ntmctl {
namespace {

constexpr char32_t kInvalid = 0xFFFFFFFF;

// Decodes the code point at `*pos` and advances past it. On a malformed sequence returns kInvalid
// and advances by one byte.
char32_t NextCodePoint(absl::string_view text, size_t* pos) {
  const auto byte = [&](size_t i) { return static_cast<unsigned char>(text[i]); };
  const size_t start = *pos;
  const unsigned char b0 = byte(start);
  int length = 0;
  char32_t c = 0;
  char32_t min = 0;
  if (b0 < 0x80) {
    *pos = start + 1;
    return b0;
  } else if (b0 >= 0xC2 && b0 <= 0xDF) {
    length = 2;
    c = b0 & 0x1F;
    min = 0x80;
  } else if (b0 >= 0xE0 && b0 <= 0xEF) {
    length = 3;
    c = b0 & 0x0F;
    min = 0x800;
  } else if (b0 >= 0xF0 && b0 <= 0xF4) {
    length = 4;
    c = b0 & 0x07;
    min = 0x10000;
  } else {
    *pos = start + 1;
    return kInvalid;
  }
  if (start + length > text.size()) {
    *pos = start + 1;
    return kInvalid;
  }
  for (int i = 1; i < length; ++i) {
    const unsigned char b = byte(start + i);
    if ((b & 0xC0) != 0x80) {
      *pos = start + 1;
      return kInvalid;
    }
    c = (c << 6) | (b & 0x3F);
  }
  if (c < min || c > 0x10FFFF || (c >= 0xD800 && c <= 0xDFFF)) {
    *pos = start + 1;
    return kInvalid;
  }
  *pos = start + length;
  return c;
}

void AppendUtf8(char32_t c, std::string* out) {
  if (c < 0x80) {
    out->push_back(static_cast<char>(c));
  } else if (c < 0x800) {
    out->push_back(static_cast<char>(0xC0 | (c >> 6)));
    out->push_back(static_cast<char>(0x80 | (c & 0x3F)));
  } else if (c < 0x10000) {
    out->push_back(static_cast<char>(0xE0 | (c >> 12)));
    out->push_back(static_cast<char>(0x80 | ((c >> 6) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | (c & 0x3F)));
  } else {
    out->push_back(static_cast<char>(0xF0 | (c >> 18)));
    out->push_back(static_cast<char>(0x80 | ((c >> 12) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | ((c >> 6) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | (c & 0x3F)));
  }
}

bool InRange(char32_t c, char32_t lo, char32_t hi) { return c >= lo && c <= hi; }

bool IsCombiningOrZeroWidth(char32_t c) {
  return InRange(c, 0x0300,
                 0x036F) ||  // combining diacritical marks (Vietnamese tones)
         InRange(c, 0x0483, 0x0489) ||
         InRange(c, 0x0591, 0x05BD) || InRange(c, 0x0610, 0x061A) || InRange(c, 0x064B, 0x065F) ||
         InRange(c, 0x0E31, 0x0E31) || InRange(c, 0x0E34, 0x0E3A) || InRange(c, 0x0E47, 0x0E4E) ||
         InRange(c, 0x1AB0, 0x1AFF) || InRange(c, 0x1DC0, 0x1DFF) || InRange(c, 0x200B, 0x200F) ||
         InRange(c, 0x202A, 0x202E) || InRange(c, 0x2060, 0x2064) || InRange(c, 0x20D0, 0x20FF) ||
         InRange(c, 0xFE00, 0xFE0F) || InRange(c, 0xFE20, 0xFE2F) || c == 0xFEFF ||
         InRange(c, 0xE0100, 0xE01EF);
}

bool IsWide(char32_t c) {
  return InRange(c, 0x1100, 0x115F) || InRange(c, 0x2E80, 0x303E) || InRange(c, 0x3041, 0x33FF) ||
         InRange(c, 0x3400, 0x4DBF) || InRange(c, 0x4E00, 0x9FFF) || InRange(c, 0xA000, 0xA4CF) ||
         InRange(c, 0xAC00, 0xD7A3) || InRange(c, 0xF900, 0xFAFF) || InRange(c, 0xFE30, 0xFE4F) ||
         InRange(c, 0xFF00, 0xFF60) || InRange(c, 0xFFE0, 0xFFE6) || InRange(c, 0x1F300, 0x1F64F) ||
         InRange(c, 0x1F900, 0x1F9FF) || InRange(c, 0x20000, 0x3FFFD);
}

char32_t ToLowerViCodePoint(char32_t c) {
  if (InRange(c, 'A', 'Z')) {
    return c + 0x20;
  }
  if (InRange(c, 0xC0, 0xDE) && c != 0xD7) {
    return c + 0x20;
  }
  // Latin Extended-A pairs with the capital at the even position (Ă, Đ, Ĩ, Ũ, ...).
  if ((InRange(c, 0x100, 0x137) || InRange(c, 0x14A, 0x177)) && c % 2 == 0) {
    return c + 1;
  }
  if ((InRange(c, 0x139, 0x148) || InRange(c, 0x179, 0x17E)) && c % 2 == 1) {
    return c + 1;
  }
  if (c == 0x1A0 || c == 0x1AF) {  // Ơ, Ư
    return c + 1;
  }
  // Latin Extended Additional: Vietnamese letters with tones, capital at the even position.
  if (InRange(c, 0x1EA0, 0x1EF9) && c % 2 == 0) {
    return c + 1;
  }
  return c;
}

// The base letter of a lowercase Vietnamese letter with diacritics, or 0.
char32_t ViBaseLetter(char32_t c) {
  struct Family {
    char base;
    std::u32string_view letters;
  };
  static constexpr Family kFamilies[] = {
      {'a', U"àáảãạăằắẳẵặâầấẩẫậ"},
      {'e', U"èéẻẽẹêềếểễệ"},
      {'i', U"ìíỉĩị"},
      {'o', U"òóỏõọôồốổỗộơờớởỡợ"},
      {'u', U"ùúủũụưừứửữự"},
      {'y', U"ỳýỷỹỵ"},
      {'d', U"đð"},
  };
  for (const Family& family : kFamilies) {
    if (family.letters.find(c) != std::u32string_view::npos) {
      return static_cast<char32_t>(family.base);
    }
  }
  return 0;
}

bool IsSpace(char32_t c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f' || c == 0xA0;
}

}  // namespace

bool IsValidUtf8(absl::string_view text) {
  size_t pos = 0;
  while (pos < text.size()) {
    if (NextCodePoint(text, &pos) == kInvalid) {
      return false;
    }
  }
  return true;
}

int CodePointWidth(char32_t c) {
  if (c < 0x20 || InRange(c, 0x7F, 0x9F)) {
    return 0;
  }
  if (IsCombiningOrZeroWidth(c)) {
    return 0;
  }
  if (IsWide(c)) {
    return 2;
  }
  return 1;
}

int DisplayWidth(absl::string_view text) {
  int width = 0;
  size_t pos = 0;
  while (pos < text.size()) {
    const char32_t c = NextCodePoint(text, &pos);
    width += c == kInvalid ? 1 : CodePointWidth(c);
  }
  return width;
}

std::string TruncateToWidth(absl::string_view text, int max_width) {
  if (DisplayWidth(text) <= max_width) {
    return std::string(text);
  }
  if (max_width <= 0) {
    return "";
  }
  const int budget = max_width - 1;  // one column for "…"
  size_t cut = 0;                    // byte length of the kept prefix
  size_t last_space = absl::string_view::npos;
  int last_space_width = 0;
  int width = 0;
  size_t pos = 0;
  while (pos < text.size()) {
    const size_t start = pos;
    const char32_t c = NextCodePoint(text, &pos);
    const int w = c == kInvalid ? 1 : CodePointWidth(c);
    if (w > 0 && width + w > budget) {
      break;
    }
    if (c == ' ') {
      last_space = start;
      last_space_width = width;
    }
    width += w;
    cut = pos;
  }
  // Prefer ending at a word boundary unless that throws away more than a third of the room.
  if (last_space != absl::string_view::npos && last_space_width * 3 >= budget * 2) {
    cut = last_space;
  }
  absl::string_view kept = text.substr(0, cut);
  while (!kept.empty() && (kept.back() == ' ' || kept.back() == ',' || kept.back() == ';' ||
                           kept.back() == ':' || kept.back() == '-' || kept.back() == '(')) {
    kept.remove_suffix(1);
  }
  return std::string(kept) + "…";
}

std::string PadRight(absl::string_view text, int width) {
  std::string out(text);
  const int missing = width - DisplayWidth(text);
  if (missing > 0) {
    out.append(static_cast<size_t>(missing), ' ');
  }
  return out;
}

std::string PadLeft(absl::string_view text, int width) {
  const int missing = width - DisplayWidth(text);
  std::string out;
  if (missing > 0) {
    out.append(static_cast<size_t>(missing), ' ');
  }
  out.append(text.data(), text.size());
  return out;
}

std::string ToLowerVi(absl::string_view text) {
  std::string out;
  out.reserve(text.size());
  size_t pos = 0;
  while (pos < text.size()) {
    const size_t start = pos;
    const char32_t c = NextCodePoint(text, &pos);
    if (c == kInvalid) {
      out.append(text.data() + start, pos - start);
    } else {
      AppendUtf8(ToLowerViCodePoint(c), &out);
    }
  }
  return out;
}

std::string FoldVi(absl::string_view text) {
  std::string out;
  bool pending_space = false;
  size_t pos = 0;
  while (pos < text.size()) {
    const size_t start = pos;
    char32_t c = NextCodePoint(text, &pos);
    if (c == kInvalid) {
      out.append(text.data() + start, pos - start);
      continue;
    }
    if (IsSpace(c)) {
      pending_space = !out.empty();
      continue;
    }
    c = ToLowerViCodePoint(c);
    if (CodePointWidth(c) == 0) {
      continue;  // combining tone and vowel marks of decomposed text
    }
    if (const char32_t base = ViBaseLetter(c); base != 0) {
      c = base;
    }
    if (pending_space) {
      out.push_back(' ');
      pending_space = false;
    }
    AppendUtf8(c, &out);
  }
  return out;
}

absl::string_view TrimSpace(absl::string_view text) {
  const auto is_space_at_front = [&]() -> size_t {
    if (text.empty()) {
      return 0;
    }
    const char f = text.front();
    if (f == ' ' || f == '\t' || f == '\n' || f == '\r' || f == '\v' || f == '\f') {
      return 1;
    }
    if (text.size() >= 2 && text.substr(0, 2) == "\xC2\xA0") {
      return 2;
    }
    return 0;
  };
  const auto is_space_at_back = [&]() -> size_t {
    if (text.empty()) {
      return 0;
    }
    const char b = text.back();
    if (b == ' ' || b == '\t' || b == '\n' || b == '\r' || b == '\v' || b == '\f') {
      return 1;
    }
    if (text.size() >= 2 && text.substr(text.size() - 2) == "\xC2\xA0") {
      return 2;
    }
    return 0;
  };
  for (size_t n = is_space_at_front(); n > 0; n = is_space_at_front()) {
    text.remove_prefix(n);
  }
  for (size_t n = is_space_at_back(); n > 0; n = is_space_at_back()) {
    text.remove_suffix(n);
  }
  return text;
}

std::string OneLine(absl::string_view text) {
  std::string out(text);
  for (char& c : out) {
    if (c == '\n' || c == '\r' || c == '\t') {
      c = ' ';
    }
  }
  return out;
}

std::string FormatNumber(double value) {
  if (!std::isfinite(value)) {
    return absl::StrFormat("%g", value);
  }
  if (std::abs(value) < 0.00005) {
    value = 0;  // no "-0"
  }
  std::string out = absl::StrFormat("%.4f", value);
  while (!out.empty() && out.back() == '0') {
    out.pop_back();
  }
  if (!out.empty() && out.back() == '.') {
    out.pop_back();
  }
  for (char& c : out) {
    if (c == '.') {
      c = ',';
    }
  }
  return out;
}

std::string FormatDateVi(absl::string_view iso_date) {
  const auto digits = [&](size_t from, size_t count) {
    for (size_t i = from; i < from + count; ++i) {
      if (iso_date[i] < '0' || iso_date[i] > '9') {
        return false;
      }
    }
    return true;
  };
  if (iso_date.size() != 10 || iso_date[4] != '-' || iso_date[7] != '-' || !digits(0, 4) ||
      !digits(5, 2) || !digits(8, 2)) {
    return std::string(iso_date);
  }
  return absl::StrFormat("%s/%s/%s", iso_date.substr(8, 2), iso_date.substr(5, 2),
                         iso_date.substr(0, 4));
}

}  // namespace ntm::ntmctl
