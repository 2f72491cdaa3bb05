-- `return false, err` / `return value`: the false member is set aside like nil.
local function load(path: string)
    if path == "" then
        return false
    end
    return { path = path }
end
local function use(t: table): table
    return t
end
local r = load("x")
if r then
    print(use(r))
end
