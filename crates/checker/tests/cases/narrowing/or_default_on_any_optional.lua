-- `filter = filter or {}` on an `any?` parameter.
local function f(filter: any?): any
    filter = filter or {}
    return filter.id
end
print(f(nil))
