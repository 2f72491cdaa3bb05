-- String helpers shared by the API entries.
local json = require("json")

local M = {}

type Slug = string

function M.trim(s: string): string
    return (s:gsub("^%s+", ""):gsub("%s+$", ""))
end

function M.slugify(s: string): Slug
    local lower = string.lower(M.trim(s))
    local slug = lower:gsub("[^%w]+", "-")
    return slug
end

function M.to_json(value: any): string
    local out, err = json.encode(value)
    if err then
        return "null"
    end
    return out
end

function M.split(s: string, sep: string): {string}
    local parts = {}
    for piece in string.gmatch(s, "([^" .. sep .. "]+)") do
        table.insert(parts, piece)
    end
    return parts
end

return M
