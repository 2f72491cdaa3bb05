-- A local declared `any` stays any whatever it is assigned (the escape hatch).
local function need(t: {[string]: any}): integer
    local n = 0
    for _ in pairs(t) do
        n = n + 1
    end
    return n
end
local vars: any = nil
print(need(vars))
