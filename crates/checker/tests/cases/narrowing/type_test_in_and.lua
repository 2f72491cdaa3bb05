-- `type(x) == "kind" and …` narrows `x` on the right.
local function describe(v: any): string
    local s = type(v) == "string" and v:upper() or tostring(v)
    return s
end
print(describe("a"))
