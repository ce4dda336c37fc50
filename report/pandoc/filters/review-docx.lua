--[[
review-docx.lua: the review copy in Word (ktreport.render.docx), after crossref.lua.

  * the figures are the PNG files next to the chapters (figures/x.svg -> figures/x.png),
    read here into the media bag, so pandoc's --sandbox still reads nothing else;
  * every key figure (a span with data-kf) becomes a bookmark kf_<name>_<hash>_<n> around
    the number, so that a comment on a number finds its key figure (Word's bookmark names
    have at most 40 characters: the name is cut, the 6-hex hash of the whole name stays);
    the source anchors ([]{#src_<chapter>_<line>}) are bookmarks already;
  * the first block is the notice: a review copy of a draft, and sample data if so.
]]

local kf_count = 0

local function hex6(text)
  return pandoc.utils.sha1(text):sub(1, 6)
end

function Image(image)
  local stem = image.src:match("^figures/([%w_.-]+)%.svg$")
  if not stem then
    return nil
  end
  local png = "figures/" .. stem .. ".png"
  local file = io.open(png, "rb")
  if not file then
    error("the review copy needs " .. png .. " (the PNG export of the figure)")
  end
  pandoc.mediabag.insert(png, "image/png", file:read("a"))
  file:close()
  image.src = png
  image.attributes["width"] = "16cm"
  return image
end

function Span(span)
  local name = span.attributes["data-kf"]
  if not name then
    return nil
  end
  kf_count = kf_count + 1
  local id = string.format("kf_%s_%s_%d", name:sub(1, 22), hex6(name), kf_count)
  return pandoc.Span(span.content, pandoc.Attr(id))
end

local function notice(meta)
  local version = pandoc.utils.stringify(meta.version or "")
  local date = pandoc.utils.stringify(meta.date or "")
  local text = "REVIEW COPY of a draft (version " .. version .. ", " .. date .. "). "
    .. "Comment and track changes in Word or LibreOffice: ktreport comments brings "
    .. "every comment back to its chapter line."
  if meta["sample-data"] then
    text = "SAMPLE DATA: built from the project's sample data, not the study data. " .. text
  end
  return pandoc.Div({pandoc.Para(pandoc.Inlines(text))}, pandoc.Attr("", {}, {["custom-style"] = "Notice"}))
end

function Pandoc(doc)
  doc.blocks:insert(1, notice(doc.meta))
  return doc
end
