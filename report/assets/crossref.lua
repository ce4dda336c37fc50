--[[
crossref.lua: numbering and cross-references for the pandoc path, in Quarto syntax.

Quarto numbers figures, tables and sections and resolves @fig-x / @tbl-x / @sec-x by itself;
plain pandoc (without pandoc-crossref) does not, so this filter does the same for the
embedded pandoc:
  * figures: `::: {#fig-x}` divs (content, then the caption as the last paragraph) or
    pandoc figures with a `fig-` id, numbered "Figure 1", "Figure 2", … in document order;
    the image's `fig-alt` attribute becomes its alt text;
  * tables: tables whose caption ends in `{#tbl-x}` (or `::: {#tbl-x}` divs around one),
    numbered "Table 1", …;
  * sections: headers of level 1 to 3 numbered 1, 1.1, 1.1.1 (`.unnumbered` skipped);
    from the first level-1 header with class `appendix` on, level-1 headers are annexes
    "Annex A", "Annex B", …;
  * @fig-x → link "Figure 3", @tbl-x → "Table 2", @sec-x → "Section 2.1" / "Annex A";
    [-@fig-x] → "3"; an unknown label stops the build with a message naming it;
  * the lists of figures and tables go to the metadata fields `list-of-figures` and
    `list-of-tables` for the template.
]]

local refs = {}          -- label -> {kind=, number=, text=}
local figure_list = {}   -- {id=, number=, title=}
local table_list = {}
local section_counters = {0, 0, 0, 0, 0, 0}
local in_appendix = false
local figure_count, table_count = 0, 0
local LETTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
local MAX_NUMBERED_LEVEL = 3

local function starts_with(text, prefix)
  return text:sub(1, #prefix) == prefix
end

local function label_inlines(word, number)
  return pandoc.Inlines({
    pandoc.Span({pandoc.Str(word), pandoc.Space(), pandoc.Str(number .. ":")},
      pandoc.Attr("", {"caption-label"})),
    pandoc.Space(),
  })
end

-- The short title of a caption for the lists: its leading bold part if it has one
-- ("**Programmes by region.** Source: …"), else the whole caption.
local function short_title(inlines)
  if #inlines > 0 and inlines[1].t == "Strong" then
    local text = pandoc.utils.stringify(inlines[1])
    return (text:gsub("[%.:]%s*$", ""))
  end
  return pandoc.utils.stringify(inlines)
end

-- Figures --------------------------------------------------------------------------------
local function alt_from_fig_alt(blocks)
  return blocks:walk({
    Image = function(image)
      local alt = image.attributes["fig-alt"]
      if alt then
        image.attributes["fig-alt"] = nil
        image.caption = pandoc.Inlines({pandoc.Str(alt)})
      end
      return image
    end,
  })
end

-- `::: {#fig-x}` with the caption as its last paragraph -> a pandoc Figure.
local function figure_from_div(div)
  local content = div.content:clone()
  local caption = pandoc.Inlines({})
  if #content > 1 and content[#content].t == "Para" then
    caption = content[#content].content
    content:remove(#content)
  end
  content = content:walk({
    Para = function(para)
      return pandoc.Plain(para.content)
    end,
  })
  return pandoc.Figure(content, {pandoc.Plain(caption)},
    pandoc.Attr(div.identifier, div.classes, div.attributes))
end

local function number_figure(figure)
  figure_count = figure_count + 1
  local number = tostring(figure_count)
  local id = figure.identifier
  local caption_inlines = pandoc.Inlines({})
  if #figure.caption.long > 0 then
    caption_inlines = pandoc.utils.blocks_to_inlines(figure.caption.long)
  end
  refs[id] = {kind = "Figure", number = number}
  table.insert(figure_list, {id = id, number = number, title = short_title(caption_inlines)})
  figure.caption.long = {pandoc.Plain(label_inlines("Figure", number) .. caption_inlines)}
  figure.content = alt_from_fig_alt(figure.content)
  return figure
end

-- Tables ---------------------------------------------------------------------------------
local function number_table(tbl)
  table_count = table_count + 1
  local number = tostring(table_count)
  local id = tbl.identifier
  local caption_inlines = pandoc.Inlines({})
  if #tbl.caption.long > 0 then
    caption_inlines = pandoc.utils.blocks_to_inlines(tbl.caption.long)
  end
  refs[id] = {kind = "Table", number = number}
  table.insert(table_list, {id = id, number = number, title = short_title(caption_inlines)})
  tbl.caption.long = {pandoc.Plain(label_inlines("Table", number) .. caption_inlines)}
  return tbl
end

-- Sections -------------------------------------------------------------------------------
local function number_header(header)
  local level = header.level
  if header.classes:includes("unnumbered") or level > MAX_NUMBERED_LEVEL then
    return header
  end
  if level == 1 and header.classes:includes("appendix") and not in_appendix then
    in_appendix = true
    section_counters[1] = 0
  end
  section_counters[level] = section_counters[level] + 1
  for deeper = level + 1, #section_counters do
    section_counters[deeper] = 0
  end
  local parts = {}
  for i = 1, level do
    local count = section_counters[i]
    if i == 1 and in_appendix then
      table.insert(parts, LETTERS:sub(count, count))
    else
      table.insert(parts, tostring(count))
    end
  end
  local number = table.concat(parts, ".")
  local shown = number
  local kind = "Section"
  if level == 1 and in_appendix then
    shown = "Annex " .. number
    kind = "Annex"
  end
  header.attributes["number"] = number
  header.content = pandoc.Inlines({
    pandoc.Span({pandoc.Str(shown)}, pandoc.Attr("", {"header-section-number"})),
    pandoc.Space(),
  }) .. header.content
  if header.identifier ~= "" then
    refs[header.identifier] = {kind = kind, number = number}
  end
  return header
end

-- Cross-references -----------------------------------------------------------------------
local function is_ours(id)
  return starts_with(id, "fig-") or starts_with(id, "tbl-") or starts_with(id, "sec-")
end

local function resolve(cite)
  local links = pandoc.Inlines({})
  for i, citation in ipairs(cite.citations) do
    local id = citation.id
    local lookup = id:sub(1, 1):lower() .. id:sub(2)  -- @Fig-x as in Quarto
    local ref = refs[lookup]
    if not ref then
      if is_ours(lookup) then
        error("cross-reference @" .. id .. " names no figure, table or section of the report", 0)
      end
      return nil
    end
    local text = ref.kind .. "\u{a0}" .. ref.number
    if ref.kind == "Section" and ref.number:find("^%u") then
      text = "Annex\u{a0}" .. ref.number  -- a subsection of an annex: "Annex A.2"
    end
    if citation.mode == "SuppressAuthor" then
      text = ref.number
    end
    if i > 1 then
      links:insert(pandoc.Str(i == #cite.citations and " and " or ", "))
    end
    links:insert(pandoc.Link({pandoc.Str(text)}, "#" .. lookup, "", pandoc.Attr("", {"xref"})))
  end
  return links
end

-- Lists of figures and tables ------------------------------------------------------------
local function list_block(entries, word, class)
  if #entries == 0 then
    return nil
  end
  local items = {}
  for _, entry in ipairs(entries) do
    table.insert(items, {pandoc.Plain({
      pandoc.Link({
        pandoc.Span({pandoc.Str(word .. "\u{a0}" .. entry.number)}, pandoc.Attr("", {"list-number"})),
        pandoc.Space(),
        pandoc.Str(entry.title),
      }, "#" .. entry.id),
    })})
  end
  return pandoc.MetaBlocks({pandoc.Div({pandoc.BulletList(items)}, pandoc.Attr("", {class}))})
end

function Pandoc(doc)
  -- 1. Quarto-style divs become pandoc figures / plain tables.
  doc = doc:walk({
    Div = function(div)
      if starts_with(div.identifier, "fig-") then
        return figure_from_div(div)
      end
      if starts_with(div.identifier, "tbl-") then
        local found = false
        local content = div.content:walk({
          Table = function(tbl)
            if not found then
              found = true
              tbl.identifier = div.identifier
            end
            return tbl
          end,
        })
        if found then
          return content
        end
      end
      return nil
    end,
  })
  -- 2. Number headers, figures and tables in document order.
  doc = doc:walk({
    traverse = "topdown",
    Header = number_header,
    Figure = function(figure)
      if starts_with(figure.identifier, "fig-") then
        return number_figure(figure)
      end
      return nil
    end,
    Table = function(tbl)
      if starts_with(tbl.identifier, "tbl-") then
        return number_table(tbl)
      end
      return nil
    end,
  })
  -- 3. Resolve @fig-x, @tbl-x and @sec-x.
  doc = doc:walk({Cite = resolve})
  -- 4. Lists for the template.
  doc.meta["list-of-figures"] = list_block(figure_list, "Figure", "list-of-figures")
  doc.meta["list-of-tables"] = list_block(table_list, "Table", "list-of-tables")
  return doc
end
