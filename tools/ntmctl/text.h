// UTF-8 text helpers for a terminal client whose text is Vietnamese: display width, truncation,
// padding, Vietnamese-aware lowercasing and folding, and number and date formatting.
#ifndef NTM_TOOLS_NTMCTL_TEXT_H_
#define NTM_TOOLS_NTMCTL_TEXT_H_

#include <string>

#include "absl/strings/string_view.h"

namespace ntm::ntmctl {

// True when `text` is well-formed UTF-8 (no overlong forms, surrogates or values past U+10FFFF).
bool IsValidUtf8(absl::string_view text);

// Columns a code point takes in a terminal: 0 for combining marks, zero-width and control
// characters, 2 for East Asian wide and fullwidth characters, 1 otherwise. Precomposed Vietnamese
// letters ("ệ", "Đ") are 1 column; a decomposed "e" + U+0302 + U+0323 is 1 + 0 + 0.
int CodePointWidth(char32_t c);

// Columns `text` takes in a terminal. Each byte of an invalid UTF-8 sequence counts as 1 (it is
// shown as a replacement character).
int DisplayWidth(absl::string_view text);

// `text` cut to at most `max_width` columns, ending in "…" when it was cut. Cuts at a word boundary
// when that keeps most of the room, never inside a letter with its combining marks.
std::string TruncateToWidth(absl::string_view text, int max_width);

// `text` followed by spaces up to `width` columns (unchanged when already as wide).
std::string PadRight(absl::string_view text, int width);
// Spaces up to `width` columns followed by `text`.
std::string PadLeft(absl::string_view text, int width);

// `text` lowercased, including every Vietnamese capital (Đ → đ, Ệ → ệ, Ư → ư, ...). Other
// characters are kept as they are.
std::string ToLowerVi(absl::string_view text);

// A matching key: lowercased, Vietnamese diacritics removed (precomposed or combining; đ → d),
// surrounding whitespace trimmed and inner runs of whitespace collapsed to one space. "Không  ĐẠT"
// and "khong dat" fold to the same key.
std::string FoldVi(absl::string_view text);

// `text` without leading and trailing ASCII whitespace and no-break spaces.
absl::string_view TrimSpace(absl::string_view text);

// `text` with tabs, carriage returns and line feeds replaced by spaces (for one table cell).
std::string OneLine(absl::string_view text);

// A number for people: at most 4 decimals, trailing zeros dropped, a comma as the decimal mark
// (Vietnamese usage), e.g. 95 → "95", 95.5 → "95,5".
std::string FormatNumber(double value);

// "YYYY-MM-DD" as shown to people, "DD/MM/YYYY"; any other text is returned as it is.
std::string FormatDateVi(absl::string_view iso_date);

}  // namespace ntm::ntmctl

#endif  // NTM_TOOLS_NTMCTL_TEXT_H_
