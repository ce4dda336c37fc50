--[[
table-ids.lua (Quarto route only, before crossref.lua): a pipe table's caption ending in
`{#tbl-x}` gives the table its id. pandoc 3.9 (the pandoc route) reads this itself; Quarto's
pandoc (3.6) leaves the attribute in the caption text, where Quarto's own table filter
would find it only after crossref.lua has run.
]]

local function caption_attribute(inlines)
  local last = #inlines
  while last > 0 and (inlines[last].t == "Space" or inlines[last].t == "SoftBreak") do
    last = last - 1
  end
  if last == 0 or inlines[last].t ~= "Str" or not inlines[last].text:match("}$") then
    return nil
  end
  for first = last, 1, -1 do
    local item = inlines[first]
    if item.t == "Str" and item.text:match("^{") then
      local text = pandoc.utils.stringify(pandoc.Inlines({table.unpack(inlines, first, last)}))
      local header = pandoc.read("# x " .. text, "markdown").blocks[1]
      if not header or header.t ~= "Header" or header.identifier == "" then
        return nil
      end
      local kept = pandoc.Inlines({table.unpack(inlines, 1, first - 1)})
      while #kept > 0 and (kept[#kept].t == "Space" or kept[#kept].t == "SoftBreak") do
        kept:remove(#kept)
      end
      return kept, header.attr
    end
  end
  return nil
end

function Table(tbl)
  if tbl.identifier ~= "" or #tbl.caption.long == 0 then
    return nil
  end
  local block = tbl.caption.long[#tbl.caption.long]
  if block.t ~= "Plain" and block.t ~= "Para" then
    return nil
  end
  local kept, attr = caption_attribute(block.content)
  if not kept then
    return nil
  end
  block.content = kept
  tbl.caption.long[#tbl.caption.long] = block
  tbl.attr = attr
  return tbl
end
