-- `pcall`'s status is checked before its result is used.
local function parse(s: string): {name: string}
    return {name = s}
end
local ok, res = pcall(parse, "a")
if ok then
    print(res)
end
