#include "tools/ntmctl/table.h"

#include <algorithm>
#include <string>
#include <utility>
#include <vector>

#include "tools/ntmctl/text.h"

namespace ntm::ntmctl {

Table::Table(std::vector<std::string> headers)
    : headers_(std::move(headers)),
      aligns_(headers_.size(), Align::kLeft),
      max_widths_(headers_.size(), 0) {
  for (std::string& header : headers_) {
    header = OneLine(header);
  }
}

void Table::SetAlign(size_t column, Align align) {
  if (column < aligns_.size()) {
    aligns_[column] = align;
  }
}

void Table::SetMaxWidth(size_t column, int width) {
  if (column < max_widths_.size()) {
    max_widths_[column] = width;
  }
}

void Table::AddRow(std::vector<std::string> cells) {
  cells.resize(headers_.size());
  for (size_t i = 0; i < cells.size(); ++i) {
    cells[i] = OneLine(cells[i]);
    if (max_widths_[i] > 0) {
      cells[i] = TruncateToWidth(cells[i], max_widths_[i]);
    }
  }
  rows_.push_back(Row{.section = false, .cells = std::move(cells)});
}

void Table::AddSection(std::string text) {
  rows_.push_back(Row{.section = true, .cells = {OneLine(text)}});
}

std::string Table::Render() const {
  std::vector<int> widths(headers_.size(), 0);
  for (size_t i = 0; i < headers_.size(); ++i) {
    widths[i] = DisplayWidth(headers_[i]);
  }
  for (const Row& row : rows_) {
    if (row.section) {
      continue;
    }
    for (size_t i = 0; i < row.cells.size(); ++i) {
      widths[i] = std::max(widths[i], DisplayWidth(row.cells[i]));
    }
  }

  const auto render_line = [&](const std::vector<std::string>& cells) {
    std::string line;
    for (size_t i = 0; i < cells.size(); ++i) {
      if (i > 0) {
        line += separator_;
      }
      const int missing = widths[i] - DisplayWidth(cells[i]);
      switch (aligns_[i]) {
        case Align::kLeft:
          line += PadRight(cells[i], widths[i]);
          break;
        case Align::kRight:
          line += PadLeft(cells[i], widths[i]);
          break;
        case Align::kCenter:
          line += PadRight(PadLeft(cells[i], DisplayWidth(cells[i]) + missing / 2), widths[i]);
          break;
      }
    }
    while (!line.empty() && line.back() == ' ') {
      line.pop_back();
    }
    line += '\n';
    return line;
  };

  std::string out = render_line(headers_);
  std::vector<std::string> rules;
  for (const int width : widths) {
    rules.push_back(std::string(static_cast<size_t>(width), '-'));
  }
  out += render_line(rules);
  for (const Row& row : rows_) {
    if (row.section) {
      out += row.cells[0];
      out += '\n';
    } else {
      out += render_line(row.cells);
    }
  }
  return out;
}

}  // namespace ntm::ntmctl
