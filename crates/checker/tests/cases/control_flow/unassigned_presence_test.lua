-- A presence test of an annotated local not yet assigned is fine: it is nil there.
local function pick(a: string?): string
    local s: string
    if a then
        s = a
    end
    if not s or s == "" then
        s = "default"
    end
    return s
end
print(pick(nil))
