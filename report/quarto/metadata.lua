--[[
metadata.lua (Quarto route only, last filter): Quarto reads some metadata keys itself
(`project`, `variant`, `date`), so ktreport passes the template's values under
`ktreport-<key>` and puts them back here, after Quarto is done with its own.
]]

local RESERVED = {"project", "variant", "date"}

function Meta(meta)
  for _, key in ipairs(RESERVED) do
    local value = meta["ktreport-" .. key]
    if value ~= nil then
      meta[key] = value
      meta["ktreport-" .. key] = nil
    end
  end
  return meta
end
