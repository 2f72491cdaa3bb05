-- No flow-sensitive narrowing yet, but nothing it would prove is reported as an error.
local function prepare(): (table?, string?)
    return nil, "bad"
end

local function takes_table(t: table): boolean
    return t ~= nil
end

local result, err = prepare()
if type(err) == "table" then
    takes_table(err)
end
if result then
    takes_table(result)
end
local fallback = result or {}
takes_table(fallback)
takes_table("text") -- expect-error: E0000
