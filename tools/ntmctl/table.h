// A plain-text table for a terminal, aligned by display width so that Vietnamese text (precomposed
// or with combining marks) lines up.
#ifndef NTM_TOOLS_NTMCTL_TABLE_H_
#define NTM_TOOLS_NTMCTL_TABLE_H_

#include <string>
#include <vector>

namespace ntm::ntmctl {

// Builds a table row by row and renders it as text:
//
//   Mã    Tên
//   ----  ---------
//   1     Quy hoạch
//
// Cells are kept on one line (line breaks become spaces); a column with a maximum width has its
// longer cells cut with "…". Lines carry no trailing spaces.
class Table {
 public:
  enum class Align { kLeft, kRight, kCenter };

  explicit Table(std::vector<std::string> headers);

  // Aligns a column (default left).
  void SetAlign(size_t column, Align align);
  // Cuts the cells of a column (not its header) to at most `width` columns.
  void SetMaxWidth(size_t column, int width);
  // The text between columns (default two spaces).
  void set_separator(std::string separator) { separator_ = std::move(separator); }

  // Adds a row; missing cells are empty, extra cells are dropped.
  void AddRow(std::vector<std::string> cells);
  // Adds a line of text across the whole table, e.g. a group heading.
  void AddSection(std::string text);

  size_t row_count() const { return rows_.size(); }

  // The table as text, each line ending in "\n".
  std::string Render() const;

 private:
  struct Row {
    bool section = false;
    std::vector<std::string> cells;
  };

  std::vector<std::string> headers_;
  std::vector<Align> aligns_;
  std::vector<int> max_widths_;  // 0: unlimited
  std::string separator_ = "  ";
  std::vector<Row> rows_;
};

}  // namespace ntm::ntmctl

#endif  // NTM_TOOLS_NTMCTL_TABLE_H_
