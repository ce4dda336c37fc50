--[[
freeze-floats.lua (Quarto route only, right after crossref.lua): the figures and tables
that crossref.lua numbered are written as pandoc's HTML here, so Quarto's float machinery
leaves them alone. It would number them a second time ("Figure 4: Figure 4: ..."), drop
the figures' alt text, and re-parse the tables (unless html-table-processing: none, set in
_quarto.yml). The HTML is the one the pandoc route writes for the same element.
]]

local function is_numbered(id)
  return id:sub(1, 4) == "fig-" or id:sub(1, 4) == "tbl-"
end

-- The writer's options without its template: a fragment, as in the pandoc route's body.
local function fragment_options()
  local options = {}
  for _, key in ipairs({"columns", "html_math_method", "html_q_tags", "wrap_text"}) do
    options[key] = PANDOC_WRITER_OPTIONS[key]
  end
  return pandoc.WriterOptions(options)
end

local function freeze(element)
  if not is_numbered(element.identifier) then
    return nil
  end
  local html = pandoc.write(pandoc.Pandoc({element}), "html5", fragment_options())
  return pandoc.RawBlock("html", html), false
end

return {
  {
    traverse = "topdown",
    Figure = freeze,
    Table = freeze,
  },
}
