-- Tagged unions with literal discriminants narrow by their tag.
type Loading = {state: "loading"}
type Loaded = {state: "loaded", rows: {string}}
type Failed = {state: "failed", error: string}
type Load = Loading | Loaded | Failed

local function count(l: Load): integer
    if l.state == "loaded" then
        return #l.rows
    elseif l.state == "failed" then
        print(l.error)
        return -1
    end
    return 0
end
print(count({state = "loading"}))
